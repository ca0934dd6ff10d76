package io.vigil.bridge.kafka;

import io.vigil.bridge.events.Position;

import java.util.List;

/**
 * Where the feed's records go (the views and the fan-out hub). Kept as an interface so the Kafka side
 * knows nothing about HTTP. All calls come from the single feed thread and must not block.
 */
public interface FeedSink {

    /** Before the first batch: the position the feed starts reading from. */
    void begin(Position start);

    /**
     * One poll's decoded records, in order; {@code after} is the position once all of the poll's
     * records (decodable or not) are read.
     */
    void accept(List<FeedRecord> batch, Position after);

    /** Once: the look-back has been read and the feed is live. */
    void ready();
}
