package io.vigil.models.training;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.network.TelemanomNetwork;
import java.util.Objects;

/**
 * How one channel is trained. {@link #defaults()} is Telemanom's setup (2 x 80 LSTM, dropout 0.3, MSE,
 * Adam 1e-3, 20 % validation, early stopping with patience 10 and min delta 3e-4, l_s = 250) with the
 * scheme and epoch budget chosen by measurement (docs/models.md).
 *
 * @param scheme how the series becomes sequences
 * @param architecture network shape
 * @param maxEpochs epochs at most
 * @param patience epochs without an improvement of at least {@code minDelta} before stopping
 * @param minDelta least decrease of the validation loss that counts as an improvement. The validation
 *     loss is the mean squared one-step error per predicted point (the unit of Keras' {@code val_loss},
 *     so Telemanom's 3e-4 applies as is); DL4J's own sequence score sums over time steps and would
 *     need this multiplied by the sequence length
 * @param validationFraction the last share of the training series held out for validation
 * @param sequenceLength l_s: window length, tBPTT segment length and validation warm-up
 * @param chunks parallel sub-sequences of the {@link Scheme#TBPTT} scheme; 0 picks from the length
 * @param batchSize windows per minibatch of the {@link Scheme#WINDOWS} scheme (Telemanom: 64)
 * @param learningRate Adam's learning rate
 * @param seed seed of the initial weights, dropout and shuffling
 * @param scaling which channels are scaled with bounds an operator fixed, the rest with learned ones
 * @param engine what computes the gradients: {@link Engine#VIGIL} for tBPTT by default
 */
public record TrainingConfig(Scheme scheme, LstmArchitecture architecture, int maxEpochs, int patience, double minDelta,
        double validationFraction, int sequenceLength, int chunks, int batchSize, double learningRate, long seed,
        ScalingRules scaling, Engine engine) {

    public static final int TELEMANOM_EPOCHS = 35;
    public static final int TELEMANOM_PATIENCE = 10;
    public static final double TELEMANOM_MIN_DELTA = 3e-4;
    public static final double TELEMANOM_VALIDATION = 0.2;
    public static final int TELEMANOM_L_S = 250;
    public static final int TELEMANOM_BATCH = 64;

    /**
     * Epoch budget of the tBPTT scheme. An epoch of it is a few updates only (one per l_s steps of a
     * sub-sequence), so it needs more epochs than the windows scheme's 35; early stopping ends it.
     */
    public static final int TBPTT_EPOCHS = 200;

    public TrainingConfig {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(scaling, "scaling");
        Objects.requireNonNull(engine, "engine");
        require(scheme == Scheme.TBPTT || engine == Engine.DL4J, "the windows scheme on the dl4j engine");
        require(maxEpochs >= 1, "maxEpochs >= 1");
        require(patience >= 1, "patience >= 1");
        require(minDelta >= 0, "minDelta >= 0");
        require(validationFraction > 0 && validationFraction < 1, "0 < validationFraction < 1");
        require(sequenceLength >= 2, "sequenceLength >= 2");
        require(chunks >= 0, "chunks >= 0");
        require(batchSize >= 1, "batchSize >= 1");
        require(learningRate > 0, "learningRate > 0");
    }

    public static TrainingConfig defaults() {
        return of(Scheme.TBPTT);
    }

    /** Telemanom's setup with {@code scheme} and that scheme's epoch budget. */
    public static TrainingConfig of(Scheme scheme) {
        return new TrainingConfig(scheme, TelemanomNetwork.defaultArchitecture(),
                scheme == Scheme.TBPTT ? TBPTT_EPOCHS : TELEMANOM_EPOCHS, TELEMANOM_PATIENCE, TELEMANOM_MIN_DELTA,
                TELEMANOM_VALIDATION, TELEMANOM_L_S, 0, TELEMANOM_BATCH, 1e-3, 42, ScalingRules.LEARNED,
                scheme == Scheme.TBPTT ? Engine.VIGIL : Engine.DL4J);
    }

    /** {@code s}, on the engine it runs on: the windows scheme on DL4J's, tBPTT on this one's. */
    public TrainingConfig withScheme(Scheme s) {
        return new TrainingConfig(s, architecture, maxEpochs, patience, minDelta, validationFraction, sequenceLength, chunks,
                batchSize, learningRate, seed, scaling, s == Scheme.TBPTT ? engine : Engine.DL4J);
    }

    public TrainingConfig withMaxEpochs(int epochs) {
        return new TrainingConfig(scheme, architecture, epochs, patience, minDelta, validationFraction, sequenceLength,
                chunks, batchSize, learningRate, seed, scaling, engine);
    }

    public TrainingConfig withArchitecture(LstmArchitecture a) {
        return new TrainingConfig(scheme, a, maxEpochs, patience, minDelta, validationFraction, sequenceLength, chunks,
                batchSize, learningRate, seed, scaling, engine);
    }

    public TrainingConfig withSequenceLength(int l) {
        return new TrainingConfig(scheme, architecture, maxEpochs, patience, minDelta, validationFraction, l, chunks,
                batchSize, learningRate, seed, scaling, engine);
    }

    public TrainingConfig withChunks(int c) {
        return new TrainingConfig(scheme, architecture, maxEpochs, patience, minDelta, validationFraction, sequenceLength,
                c, batchSize, learningRate, seed, scaling, engine);
    }

    public TrainingConfig withPatience(int p) {
        return new TrainingConfig(scheme, architecture, maxEpochs, p, minDelta, validationFraction, sequenceLength, chunks,
                batchSize, learningRate, seed, scaling, engine);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(scheme, architecture, maxEpochs, patience, minDelta, validationFraction, sequenceLength,
                chunks, batchSize, lr, seed, scaling, engine);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(scheme, architecture, maxEpochs, patience, minDelta, validationFraction, sequenceLength,
                chunks, batchSize, learningRate, s, scaling, engine);
    }

    public TrainingConfig withScaling(ScalingRules rules) {
        return new TrainingConfig(scheme, architecture, maxEpochs, patience, minDelta, validationFraction, sequenceLength,
                chunks, batchSize, learningRate, seed, rules, engine);
    }

    public TrainingConfig withEngine(Engine e) {
        return new TrainingConfig(scheme, architecture, maxEpochs, patience, minDelta, validationFraction, sequenceLength,
                chunks, batchSize, learningRate, seed, scaling, e);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("training config needs " + what);
        }
    }
}
