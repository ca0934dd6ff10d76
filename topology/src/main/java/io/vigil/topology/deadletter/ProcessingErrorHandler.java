package io.vigil.topology.deadletter;

import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.schemas.registry.RegistryException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line behind the processors' own error handling: an exception that still escapes a
 * processor becomes a {@code PROCESSING_ERROR} dead letter of the input record and the task goes on.
 * Without it Kafka Streams fails the task, and under exactly-once the same record fails it again
 * after every restart, stopping its partition for good.
 *
 * <p>Every Vigil processor catches its own failures first and leaves the record's state as it was;
 * a failure reaching this handler may have left a partial write, which is why it is logged as an
 * error. A punctuation that throws has no input record: it is logged and the next one runs.
 *
 * <p>A failure of the infrastructure is not the record's fault and is not dead-lettered: the schema
 * registry or Kafka failing (a {@link KafkaException} or {@link RegistryException} anywhere in the
 * cause chain, e.g. a score that could not be serialized or sent) and Avro refusing a class
 * ({@link SecurityException}) fail the task, which is retried within the scorer's replacement limit.
 */
public final class ProcessingErrorHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProcessingErrorHandler.class);

    private Serializer<DeadLetter> serializer;
    private int maxBytes;

    @Override
    public void configure(Map<String, ?> configs) {
        this.serializer = DeadLetterRecords.serializer(configs);
        this.maxBytes = DeadLetterRecords.maxBytes(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isInfrastructure(exception)) {
            return Response.fail();
        }
        log.atError().setCause(exception).setMessage("processing failed; the record becomes a dead letter")
                .addKeyValue("processor", context.processorNodeId()).addKeyValue("topic", context.topic())
                .addKeyValue("partition", context.partition()).addKeyValue("offset", context.offset()).log();
        if (record == null) {
            return Response.resume();
        }
        return Response.resume(List.of(DeadLetterRecords.record(context, context.sourceRawKey(),
                context.sourceRawValue(), DeadLetterReason.PROCESSING_ERROR,
                DeadLetters.describe(exception) + " (in " + context.processorNodeId() + ")", maxBytes, serializer)));
    }

    static boolean isInfrastructure(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof KafkaException || t instanceof RegistryException || t instanceof SecurityException) {
                return true;
            }
        }
        return false;
    }
}
