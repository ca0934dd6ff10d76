package io.vigil.topology.release;

import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.telemanom.StreamingThreshold;

/**
 * A channel's champion ready to score: what was released, the decoded weights and the threshold
 * detector for its settings. Immutable and shared by every thread that scores the channel's
 * partition over time.
 */
public record ActiveModel(ModelDescriptor descriptor, LstmParameters weights, StreamingThreshold threshold) {

    public ActiveModel(ModelDescriptor descriptor, LstmParameters weights) {
        this(descriptor, weights, new StreamingThreshold(descriptor.settings()));
    }

    public int version() {
        return descriptor.version();
    }
}
