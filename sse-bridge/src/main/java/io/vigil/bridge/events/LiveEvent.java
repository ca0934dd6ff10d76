package io.vigil.bridge.events;

/**
 * One streamed event with what the hub needs to route and resume it: where it came from (type,
 * partition, offset), what filters look at (channel, source; null when the type has none), the
 * record's Kafka timestamp, the position just after this record, and its encoded frame, whose id is
 * that position.
 */
public record LiveEvent(EventType type, int partition, long offset, String channel, String source,
                        long recordTime, Position after, Frame frame) {
}
