package io.vigil.topology.deadletter;

import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a refused output record means. When the broker refuses the record itself (too large,
 * invalid, a timestamp out of the topic's range) no retry can succeed: the input that produced it
 * becomes a {@code PRODUCTION_ERROR} dead letter and the task goes on. Anything else (a broker or
 * registry outage, an authorization failure) is not the record's fault and fails the task, so it is
 * retried after the thread is replaced, within the scorer's replacement limit.
 */
public final class ProductionErrorHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProductionErrorHandler.class);

    private Serializer<DeadLetter> serializer;
    private int maxBytes;

    @Override
    public void configure(Map<String, ?> configs) {
        this.serializer = DeadLetterRecords.serializer(configs);
        this.maxBytes = DeadLetterRecords.maxBytes(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!refusesTheRecordItself(exception)) {
            return Response.fail();
        }
        log.atWarn().setMessage("output record refused; its input becomes a dead letter")
                .addKeyValue("outputTopic", record.topic()).addKeyValue("reason", exception.toString())
                .addKeyValue("topic", context.topic()).addKeyValue("partition", context.partition())
                .addKeyValue("offset", context.offset()).log();
        return Response.resume(List.of(DeadLetterRecords.record(context, context.sourceRawKey(),
                context.sourceRawValue(), DeadLetterReason.PRODUCTION_ERROR,
                "the " + record.topic() + " record made of this input was refused: " + DeadLetters.describe(exception),
                maxBytes, serializer)));
    }

    static boolean refusesTheRecordItself(Exception e) {
        return e instanceof RecordTooLargeException || e instanceof InvalidRecordException
                || e instanceof InvalidTimestampException;
    }
}
