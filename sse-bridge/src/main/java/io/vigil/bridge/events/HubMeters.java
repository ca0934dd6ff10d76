package io.vigil.bridge.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The fan-out counters, shared by the hub and its clients. */
final class HubMeters {

    private final Counter published;
    private final Counter sent;
    private final Counter dropped;

    HubMeters(MeterRegistry registry) {
        published = Counter.builder(FanOutHub.PUBLISHED).description("Events offered to SSE clients").register(registry);
        sent = Counter.builder(FanOutHub.SENT).description("Events written to SSE clients, summed over clients")
                .register(registry);
        dropped = Counter.builder(FanOutHub.DROPPED)
                .description("Events discarded because a client's queue was full").register(registry);
    }

    void published(long n) {
        if (n > 0) {
            published.increment(n);
        }
    }

    void sent(long n) {
        if (n > 0) {
            sent.increment(n);
        }
    }

    void dropped(long n) {
        dropped.increment(n);
    }

    long sentCount() {
        return (long) sent.count();
    }

    long droppedCount() {
        return (long) dropped.count();
    }
}
