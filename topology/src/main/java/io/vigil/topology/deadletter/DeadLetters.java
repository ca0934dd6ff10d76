package io.vigil.topology.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns an input record that cannot be scored into a {@link DeadLetter} on the dead-letter sink,
 * keeping the original bytes and position, and counts it by reason. This and the exception handlers
 * ({@link ProcessingErrorHandler}, {@link ProductionErrorHandler}), which build their letters with
 * {@link #letter}, are the only ways a record leaves the topology without a score.
 *
 * <p>A dead letter never exceeds {@code maxBytes}: the input itself may be as large as the broker
 * accepts, and wrapping it (plus its key a second time as the letter's key) would make a record the
 * producer refuses, which under exactly-once fails the task on every retry. Over the limit the key
 * and the value keep a prefix, their original sizes are recorded and the detail says so.
 */
public final class DeadLetters {

    /** What a dead letter may take in all, by default: under the producer's default 1 MiB request. */
    public static final int DEFAULT_MAX_BYTES = 1_000_000;
    /** Room for the letter's own fields, the topic name and Kafka's record overhead. */
    private static final int OVERHEAD_BYTES = 4_096;
    /** A key is an id: a longer one is kept as a prefix whatever room is left. */
    static final int MAX_KEY_BYTES = 1_024;
    /** Exception messages can carry whole payloads; the detail is for people. */
    static final int MAX_DETAIL_CHARS = 1_000;

    private final String sinkName;
    private final int maxBytes;
    private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);

    public DeadLetters(String sinkName, MeterRegistry meters) {
        this(sinkName, DEFAULT_MAX_BYTES, meters);
    }

    public DeadLetters(String sinkName, int maxBytes, MeterRegistry meters) {
        if (maxBytes < 2 * OVERHEAD_BYTES) {
            throw new IllegalArgumentException("dead letters need at least " + 2 * OVERHEAD_BYTES + " bytes, got " + maxBytes);
        }
        this.sinkName = sinkName;
        this.maxBytes = maxBytes;
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counters.put(reason, counter(meters, reason));
        }
    }

    static Counter counter(MeterRegistry meters, DeadLetterReason reason) {
        return Counter.builder("vigil.dead.letters")
                .description("input records sent to the dead-letter topic")
                .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                .register(meters);
    }

    /** Forwards the dead letter of the record now being processed to the dead-letter sink. */
    public void send(ProcessorContext<?, ?> context, Record<?, ?> input, byte[] rawKey, byte[] rawValue,
                     DeadLetterReason reason, String detail) {
        RecordMetadata origin = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("dead letters are only sent while processing an input record"));
        Letter letter = letter(origin.topic(), origin.partition(), origin.offset(), rawKey, rawValue, reason, detail,
                maxBytes);
        @SuppressWarnings("unchecked")
        ProcessorContext<Object, Object> forwarding = (ProcessorContext<Object, Object>) context;
        forwarding.forward(new Record<Object, Object>(letter.key(), letter.value(), input.timestamp()), sinkName);
        counters.get(reason).increment();
    }

    /**
     * The dead letter of a record whose processing threw: {@code PROCESSING_ERROR} with the exception's
     * class and message. The caller has left the record's state as it was before the record.
     */
    public void failed(ProcessorContext<?, ?> context, Record<?, ?> input, byte[] rawKey, byte[] rawValue,
                       RuntimeException cause) {
        send(context, input, rawKey, rawValue, DeadLetterReason.PROCESSING_ERROR, describe(cause));
    }

    /** How a failure reads in a dead letter: the exception class and its message. */
    public static String describe(Throwable cause) {
        return cause.getClass().getName() + ": " + cause.getMessage();
    }

    /** A dead letter and the key it is written under. */
    public record Letter(byte[] key, DeadLetter value) {}

    /** Builds a dead letter within {@code maxBytes}, cutting the key and value to a prefix if needed. */
    public static Letter letter(String topic, int partition, long offset, byte[] rawKey, byte[] rawValue,
                                DeadLetterReason reason, String detail, int maxBytes) {
        byte[] key = prefix(rawKey, MAX_KEY_BYTES);
        String shortDetail = detail == null ? "" : detail.length() > MAX_DETAIL_CHARS
                ? detail.substring(0, MAX_DETAIL_CHARS) + "..." : detail;
        // The key travels twice: as the letter's Kafka key and inside it.
        int room = maxBytes - OVERHEAD_BYTES - topic.length() * 3 - shortDetail.length() * 3
                - 2 * (key == null ? 0 : key.length);
        byte[] value = prefix(rawValue, Math.max(0, room));
        boolean cut = key != rawKey || value != rawValue;
        String said = cut ? shortDetail + " [dead letter cut to " + maxBytes + " bytes: key " + size(key) + " of "
                + size(rawKey) + " bytes, value " + size(value) + " of " + size(rawValue) + " bytes kept]" : shortDetail;
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginTopic(topic)
                .setOriginPartition(partition)
                .setOriginOffset(offset)
                .setReason(reason)
                .setDetail(said)
                .setRawKey(key == null ? null : ByteBuffer.wrap(key))
                .setRawValue(value == null ? null : ByteBuffer.wrap(value))
                .setRawKeySize(key != rawKey ? rawKey.length : null)
                .setRawValueSize(value != rawValue ? rawValue.length : null)
                .setFailedAt(Instant.now())
                .build();
        return new Letter(key, letter);
    }

    private static byte[] prefix(byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
