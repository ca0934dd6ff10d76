package io.vigil.topology.intake;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Record timestamps as Kafka Streams' clock sees them, kept within {@link InputBounds}' range (the
 * epoch to the year 9999). A topic that accepts any future timestamp (Vigil's do, for fast replays)
 * can deliver one near {@code Long.MAX_VALUE}; taken as stream time it wraps the stream-time
 * punctuation schedule past the end of the long range and the punctuator runs for ever. A timestamp out
 * of range, or missing, takes the partition's time instead (the wall clock before the partition has
 * one); the record itself is judged by its own event time in the intake.
 */
public final class BoundedTimestamps implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long t = record.timestamp();
        if (t >= InputBounds.EARLIEST && t <= InputBounds.LATEST) {
            return t;
        }
        return partitionTime >= InputBounds.EARLIEST ? partitionTime : System.currentTimeMillis();
    }
}
