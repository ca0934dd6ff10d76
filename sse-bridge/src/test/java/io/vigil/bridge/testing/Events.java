package io.vigil.bridge.testing;

import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Frame;
import io.vigil.bridge.events.LiveEvent;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;

import java.util.List;

/**
 * Builds live events the way the feed does, tracking the input position: each event's id is the
 * position just after it.
 */
public final class Events {

    private Position position;

    public Events(Position start) {
        this.position = start;
    }

    /** A score event of {@code channel} at the next offset of {@code partition}. */
    public LiveEvent score(int partition, String channel, String data) {
        return next(EventType.SCORE, partition, channel, "test", data);
    }

    public LiveEvent next(EventType type, int partition, String channel, String source, String data) {
        long offset = position.next(type, partition);
        position = position.with(type, partition, offset + 1);
        return new LiveEvent(type, partition, offset, channel, source, System.currentTimeMillis(), position,
                Frame.event(type.eventName(), PositionCodec.encode(position), data));
    }

    /** A record that gave no event (it did not decode): only the position moves. */
    public void skip(EventType type, int partition) {
        position = position.with(type, partition, position.next(type, partition) + 1);
    }

    public Position position() {
        return position;
    }

    /** Two partitions of every type, all at offset 0. */
    public static Position start() {
        long[][] offsets = new long[EventType.count()][];
        for (int t = 0; t < offsets.length; t++) {
            offsets[t] = new long[2];
        }
        return Position.of(offsets);
    }

    public static List<LiveEvent> batch(LiveEvent... events) {
        return List.of(events);
    }
}
