package io.vigil.models.tuning;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.training.TrainingConfig;
import java.util.Locale;

/**
 * The settings a tuning run chooses between: the network's shape, its dropout and learning rate, the
 * segment length l_s and the tBPTT scheme's parallel sub-sequences (its minibatch width).
 *
 * @param chunks parallel sub-sequences; 0 picks from the series' length, as {@link TrainingConfig} does
 */
public record HyperParameters(int units, int layers, double dropout, double learningRate, int sequenceLength, int chunks) {

    public HyperParameters {
        if (units < 1 || layers < 1 || sequenceLength < 2 || chunks < 0 || learningRate <= 0 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "hyper-parameters out of range: units %d, layers"
                    + " %d, dropout %s, learning rate %s, l_s %d, chunks %d", units, layers, dropout, learningRate,
                    sequenceLength, chunks));
        }
    }

    /** The settings {@code config} trains with. */
    public static HyperParameters of(TrainingConfig config) {
        return new HyperParameters(config.architecture().getUnits(), config.architecture().getLayers(), config.dropout(),
                config.learningRate(), config.sequenceLength(), config.chunks());
    }

    /** {@code base} with these settings; everything else (scheme, engine, patience, seed, scaling) stays. */
    public TrainingConfig applyTo(TrainingConfig base) {
        LstmArchitecture shape = LstmArchitecture.newBuilder(base.architecture()).setUnits(units).setLayers(layers).build();
        return base.withArchitecture(shape).withDropout(dropout).withLearningRate(learningRate)
                .withSequenceLength(sequenceLength).withChunks(chunks);
    }

    /** Short and readable, e.g. {@code 2x80 dropout 0.30 lr 1.0e-03 l_s 250 chunks auto}. */
    public String label() {
        return String.format(Locale.ROOT, "%dx%d dropout %.2f lr %.1e l_s %d chunks %s", layers, units, dropout,
                learningRate, sequenceLength, chunks == 0 ? "auto" : Integer.toString(chunks));
    }
}
