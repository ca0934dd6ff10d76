package io.vigil.topology.scoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Bytes the scorer writes to its state stores (and so to their changelogs): key characters plus
 * value bytes, in {@code vigil.scoring.state.bytes.written}. The figure that decides what a point
 * costs the broker.
 */
final class StateBytes {

    private final Counter counter;

    StateBytes(MeterRegistry meters) {
        this.counter = Counter.builder("vigil.scoring.state.bytes.written")
                .description("key and value bytes the scorer wrote to its state stores")
                .baseUnit("bytes")
                .register(meters);
    }

    void add(String key, int valueBytes) {
        counter.increment(key.length() + valueBytes);
    }
}
