package io.vigil.topology.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.registry.RegistryException;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Kafka Streams' handlers answer: a dead letter for the record's own faults, a failure for the infrastructure's. */
class ErrorHandlersTest {

    private static final byte[] KEY = "ch".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 1, 2, 3};

    private final String scope = "handlers-" + UUID.randomUUID();
    private final Map<String, Object> configs = Map.of("schema.registry.url", "mock://" + scope,
            DeadLetterRecords.MAX_BYTES_CONFIG, "20000");

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void aProcessorExceptionBecomesAProcessingErrorDeadLetterWithTheOriginAndTheTaskGoesOn() {
        ProcessingErrorHandler handler = new ProcessingErrorHandler();
        handler.configure(configs);
        ProcessingExceptionHandler.Response response = handler.handleError(context(), new Record<>("ch", "x", 5L),
                new ArithmeticException("boom"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        DeadLetter letter = only(response.deadLetterQueueRecords());
        assertEquals(DeadLetterReason.PROCESSING_ERROR, letter.getReason());
        assertEquals(Topics.TELEMETRY.name(), letter.getOriginTopic());
        assertEquals(3, letter.getOriginPartition());
        assertEquals(42L, letter.getOriginOffset());
        assertTrue(letter.getDetail().contains("java.lang.ArithmeticException: boom"), letter.getDetail());
        assertTrue(letter.getDetail().contains("scorer"), letter.getDetail());
        assertArrayEquals(VALUE, bytes(letter.getRawValue()));
    }

    @Test
    void aRegistryOrKafkaFailureInsideAProcessorFailsTheTaskInsteadOfDeadLetteringTheRecord() {
        ProcessingErrorHandler handler = new ProcessingErrorHandler();
        handler.configure(configs);
        assertEquals(ProcessingExceptionHandler.Result.FAIL, handler.handleError(context(), new Record<>("ch", "x", 5L),
                new IllegalStateException(new RegistryException(503, 50301, "registry down"))).result());
        assertEquals(ProcessingExceptionHandler.Result.FAIL, handler.handleError(context(), new Record<>("ch", "x", 5L),
                new StreamsException("send failed")).result());
    }

    @Test
    void aPunctuationFailureHasNoRecordAndNoDeadLetter() {
        ProcessingErrorHandler handler = new ProcessingErrorHandler();
        handler.configure(configs);
        ProcessingExceptionHandler.Response response = handler.handleError(context(), null, new IllegalStateException());
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        assertTrue(response.deadLetterQueueRecords().isEmpty());
    }

    @Test
    void anOutputTheBrokerRefusesAsTooLargeBecomesAProductionErrorOfItsInput() {
        ProductionErrorHandler handler = new ProductionErrorHandler();
        handler.configure(configs);
        ProductionExceptionHandler.Response response = handler.handleError(context(),
                new ProducerRecord<>(Topics.SCORES.name(), KEY, new byte[10]), new RecordTooLargeException("too big"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        DeadLetter letter = only(response.deadLetterQueueRecords());
        assertEquals(DeadLetterReason.PRODUCTION_ERROR, letter.getReason());
        assertEquals(42L, letter.getOriginOffset());
        assertTrue(letter.getDetail().contains(Topics.SCORES.name()), letter.getDetail());
    }

    @Test
    void aSendTimeoutIsNotTheRecordsFaultAndFailsTheTask() {
        ProductionErrorHandler handler = new ProductionErrorHandler();
        handler.configure(configs);
        assertEquals(ProductionExceptionHandler.Result.FAIL, handler.handleError(context(),
                new ProducerRecord<>(Topics.SCORES.name(), KEY, new byte[10]), new TimeoutException("slow")).result());
    }

    @Test
    void aDeadLetterOfAnInputLargerThanTheLimitKeepsAPrefixAndSaysSo() {
        byte[] huge = new byte[900_000];
        byte[] longKey = new byte[5_000];
        DeadLetters.Letter letter = DeadLetters.letter(Topics.TELEMETRY.name(), 1, 7, longKey, huge,
                DeadLetterReason.MALFORMED, "x".repeat(50_000), 100_000);
        DeadLetter value = letter.value();
        byte[] encoded = AvroSerde.configured(DeadLetter.class, configs, false).serializer()
                .serialize(Topics.DEAD_LETTERS.name(), value);
        assertTrue(encoded.length + letter.key().length <= 100_000, "letter and key fit: " + encoded.length);
        assertEquals(900_000, value.getRawValueSize());
        assertEquals(5_000, value.getRawKeySize());
        assertEquals(DeadLetters.MAX_KEY_BYTES, letter.key().length);
        assertTrue(value.getDetail().contains("dead letter cut"), value.getDetail());
        assertEquals(7L, value.getOriginOffset());
    }

    @Test
    void aDeadLetterWithinTheLimitIsWhole() {
        DeadLetters.Letter letter = DeadLetters.letter(Topics.TELEMETRY.name(), 1, 7, KEY, VALUE,
                DeadLetterReason.MALFORMED, "bad", 100_000);
        assertEquals(null, letter.value().getRawValueSize());
        assertEquals(null, letter.value().getRawKeySize());
        assertEquals("bad", letter.value().getDetail());
        assertArrayEquals(VALUE, bytes(letter.value().getRawValue()));
    }

    private DeadLetter only(java.util.List<ProducerRecord<byte[], byte[]>> records) {
        assertEquals(1, records.size());
        ProducerRecord<byte[], byte[]> record = records.get(0);
        assertEquals(Topics.DEAD_LETTERS.name(), record.topic());
        assertArrayEquals(KEY, record.key());
        return AvroSerde.configured(DeadLetter.class, configs, false).deserializer()
                .deserialize(Topics.DEAD_LETTERS.name(), record.value());
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override public String topic() { return Topics.TELEMETRY.name(); }
            @Override public int partition() { return 3; }
            @Override public long offset() { return 42; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "scorer"; }
            @Override public TaskId taskId() { return new TaskId(0, 3); }
            @Override public long timestamp() { return 5; }
            @Override public byte[] sourceRawKey() { return KEY; }
            @Override public byte[] sourceRawValue() { return VALUE; }
        };
    }
}
