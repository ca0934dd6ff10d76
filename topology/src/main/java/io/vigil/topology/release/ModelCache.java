package io.vigil.topology.release;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded champions of this instance's channels, the least recently used dropped beyond
 * {@code capacity} ({@code scoring.model.cache.size}). Decoding 311 KB of parameters from RocksDB
 * costs far more than a step, so a channel should find its weights here on every point but the
 * first after a start or a release.
 *
 * <p>The stores stay the truth: an entry serves a point only if it was decoded for exactly the
 * descriptor the channel has now (read from the store on every point and compared byte for byte:
 * version, checksum, shape, scaling, settings), so an entry left behind by a task that moved away
 * and back, or by a retired model, is never used. Shared by every stream thread
 * of the instance; each call holds the lock briefly.
 */
public final class ModelCache {

    private final int capacity;
    private final LstmParameters.Precision precision;
    private record Entry(byte[] descriptor, ActiveModel model) {}

    private final Map<String, Entry> entries;
    private final Counter hits;
    private final Counter misses;
    private final Counter evictions;

    public ModelCache(int capacity, LstmParameters.Precision precision, MeterRegistry meters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("scoring.model.cache.size must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.precision = precision;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
        this.hits = requests(meters, "hit");
        this.misses = requests(meters, "miss");
        this.evictions = Counter.builder("vigil.scoring.model.cache.evictions")
                .description("decoded models dropped to stay within scoring.model.cache.size")
                .register(meters);
        Gauge.builder("vigil.scoring.model.cache.size", this, ModelCache::size)
                .description("decoded models held by this instance")
                .register(meters);
    }

    private static Counter requests(MeterRegistry meters, String result) {
        return Counter.builder("vigil.scoring.model.cache")
                .description("lookups of a channel's decoded model")
                .tag("result", result)
                .register(meters);
    }

    /** How weights are decoded for this cache ({@code scoring.model.precision}). */
    public LstmParameters.Precision precision() {
        return precision;
    }

    /** The channel's cached model if it was decoded for {@code descriptor} (its stored bytes), else null: a miss. */
    public synchronized ActiveModel get(String channel, byte[] descriptor) {
        Entry entry = entries.get(channel);
        if (entry != null && Arrays.equals(entry.descriptor(), descriptor)) {
            hits.increment();
            return entry.model();
        }
        misses.increment();
        return null;
    }

    /** Caches {@code model}, decoded for the stored {@code descriptor} bytes. */
    public synchronized void put(String channel, byte[] descriptor, ActiveModel model) {
        entries.put(channel, new Entry(descriptor, model));
        if (entries.size() > capacity) {
            var eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
            evictions.increment();
        }
    }

    public synchronized void invalidate(String channel) {
        entries.remove(channel);
    }

    public synchronized int size() {
        return entries.size();
    }
}
