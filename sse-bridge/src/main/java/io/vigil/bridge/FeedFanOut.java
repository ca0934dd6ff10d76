package io.vigil.bridge;

import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.events.Frame;
import io.vigil.bridge.events.LiveEvent;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.kafka.Decoded;
import io.vigil.bridge.kafka.FeedRecord;
import io.vigil.bridge.kafka.FeedSink;
import io.vigil.bridge.resume.Resumer;
import io.vigil.bridge.views.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the feed's batches go: into the views, then to the hub, both under the views' lock so that
 * a REST snapshot and its stream position always agree. Frames (the expensive part: JSON and id
 * bytes) are built before taking the lock.
 */
final class FeedFanOut implements FeedSink {

    private final Views views;
    private final FanOutHub hub;
    private final Resumer resumer;

    FeedFanOut(Views views, FanOutHub hub, Resumer resumer) {
        this.views = views;
        this.hub = hub;
        this.resumer = resumer;
    }

    @Override
    public void begin(Position start) {
        hub.begin(start);
    }

    @Override
    public void accept(List<FeedRecord> batch, Position after) {
        Frame[] frames = new Frame[batch.size()];
        for (int i = 0; i < frames.length; i++) {
            FeedRecord r = batch.get(i);
            frames[i] = Frame.event(r.decoded().type().eventName(), PositionCodec.encode(r.after()), r.decoded().json());
        }
        List<LiveEvent> events = new ArrayList<>(frames.length);
        views.withLock(() -> {
            for (int i = 0; i < frames.length; i++) {
                FeedRecord r = batch.get(i);
                Decoded d = r.decoded();
                EventType type = d.type();
                String source = views.apply(type, d.value(), r.timestamp());
                events.add(new LiveEvent(type, r.partition(), r.offset(), d.channel(), source, r.timestamp(),
                        r.after(), frames[i]));
            }
            hub.publish(events, after);
        });
    }

    @Override
    public void ready() {
        resumer.ready();
    }
}
