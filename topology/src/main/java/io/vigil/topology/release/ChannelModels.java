package io.vigil.topology.release;

import io.vigil.topology.scoring.lstm.LstmParameters;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scorer's view of the champions of its task's channels: reads the small descriptor from its
 * in-memory store on every point (so a new champion applies from the next point) and takes the
 * weights from the {@link ModelCache}, loading and decoding them from the RocksDB parameter store on
 * a miss.
 */
public final class ChannelModels {

    private final KeyValueStore<String, byte[]> descriptors;
    private final KeyValueStore<String, byte[]> parameters;
    private final ModelCache cache;

    public ChannelModels(KeyValueStore<String, byte[]> descriptors, KeyValueStore<String, byte[]> parameters,
                         ModelCache cache) {
        this.descriptors = descriptors;
        this.parameters = parameters;
        this.cache = cache;
    }

    /** The channel's champion, or null if it has none. */
    public ActiveModel find(String channel) {
        byte[] stored = descriptors.get(channel);
        if (stored == null) {
            return null;
        }
        ActiveModel cached = cache.get(channel, stored);
        if (cached != null) {
            return cached;
        }
        ModelDescriptor descriptor = ModelDescriptor.fromBytes(stored);
        byte[] bytes = parameters.get(channel);
        if (bytes == null) {
            // The keeper writes parameters before the descriptor in one task, so this is a broken store.
            throw new IllegalStateException("channel " + channel + " has model version " + descriptor.version()
                    + " but no parameters");
        }
        ActiveModel model = new ActiveModel(descriptor,
                LstmParameters.fromBytes(descriptor.architecture(), bytes, cache.precision()));
        cache.put(channel, stored, model);
        return model;
    }
}
