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
 * @param dropout share of activations dropped on the input of every layer above the first and of the
 *     output layer (Keras' {@code Dropout} after each LSTM layer)
 * @param seed seed of the initial weights, dropout and shuffling
 * @param scaling which channels are scaled with bounds an operator fixed, the rest with learned ones
 * @param engine what computes the gradients: {@link Engine#VIGIL} for tBPTT by default
 * @param origin where the settings came from, recorded in the release: {@link #OPTIONS}, or the tuning
 *     run that chose them
 */
public record TrainingConfig(Scheme scheme, LstmArchitecture architecture, int maxEpochs, int patience, double minDelta,
        double validationFraction, int sequenceLength, int chunks, int batchSize, double learningRate, double dropout,
        long seed, ScalingRules scaling, Engine engine, String origin) {

    public static final int TELEMANOM_EPOCHS = 35;
    public static final int TELEMANOM_PATIENCE = 10;
    public static final double TELEMANOM_MIN_DELTA = 3e-4;
    public static final double TELEMANOM_VALIDATION = 0.2;
    public static final int TELEMANOM_L_S = 250;
    public static final int TELEMANOM_BATCH = 64;
    public static final double TELEMANOM_LEARNING_RATE = 1e-3;
    public static final double TELEMANOM_DROPOUT = 1 - TelemanomNetwork.KEEP_PROBABILITY;
    /** {@link #origin} of settings taken from the defaults and the command line. */
    public static final String OPTIONS = "options";

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
        Objects.requireNonNull(origin, "origin");
        require(scheme == Scheme.TBPTT || engine == Engine.DL4J, "the windows scheme on the dl4j engine");
        require(maxEpochs >= 1, "maxEpochs >= 1");
        require(patience >= 1, "patience >= 1");
        require(minDelta >= 0, "minDelta >= 0");
        require(validationFraction > 0 && validationFraction < 1, "0 < validationFraction < 1");
        require(sequenceLength >= 2, "sequenceLength >= 2");
        require(chunks >= 0, "chunks >= 0");
        require(batchSize >= 1, "batchSize >= 1");
        require(learningRate > 0, "learningRate > 0");
        require(dropout >= 0 && dropout < 1, "0 <= dropout < 1");
    }

    public static TrainingConfig defaults() {
        return of(Scheme.TBPTT);
    }

    /** Telemanom's setup with {@code scheme} and that scheme's epoch budget. */
    public static TrainingConfig of(Scheme scheme) {
        return new TrainingConfig(scheme, TelemanomNetwork.defaultArchitecture(),
                scheme == Scheme.TBPTT ? TBPTT_EPOCHS : TELEMANOM_EPOCHS, TELEMANOM_PATIENCE, TELEMANOM_MIN_DELTA,
                TELEMANOM_VALIDATION, TELEMANOM_L_S, 0, TELEMANOM_BATCH, TELEMANOM_LEARNING_RATE, TELEMANOM_DROPOUT, 42,
                ScalingRules.LEARNED, scheme == Scheme.TBPTT ? Engine.VIGIL : Engine.DL4J, OPTIONS);
    }

    /** Probability of keeping an activation where the network drops them, as DL4J and the kernel take it. */
    public double keepProbability() {
        return 1 - dropout;
    }

    /** {@code s}, on the engine it runs on: the windows scheme on DL4J's, tBPTT on this one's. */
    public TrainingConfig withScheme(Scheme s) {
        return new Builder(this).scheme(s, s == Scheme.TBPTT ? engine : Engine.DL4J).build();
    }

    public TrainingConfig withMaxEpochs(int epochs) {
        return new Builder(this).maxEpochs(epochs).build();
    }

    public TrainingConfig withArchitecture(LstmArchitecture a) {
        return new Builder(this).architecture(a).build();
    }

    public TrainingConfig withSequenceLength(int l) {
        return new Builder(this).sequenceLength(l).build();
    }

    public TrainingConfig withChunks(int c) {
        return new Builder(this).chunks(c).build();
    }

    public TrainingConfig withPatience(int p) {
        return new Builder(this).patience(p).build();
    }

    public TrainingConfig withMinDelta(double d) {
        return new Builder(this).minDelta(d).build();
    }

    public TrainingConfig withLearningRate(double lr) {
        return new Builder(this).learningRate(lr).build();
    }

    public TrainingConfig withDropout(double d) {
        return new Builder(this).dropout(d).build();
    }

    public TrainingConfig withSeed(long s) {
        return new Builder(this).seed(s).build();
    }

    public TrainingConfig withScaling(ScalingRules rules) {
        return new Builder(this).scaling(rules).build();
    }

    public TrainingConfig withEngine(Engine e) {
        return new Builder(this).engine(e).build();
    }

    public TrainingConfig withOrigin(String o) {
        return new Builder(this).origin(o).build();
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("training config needs " + what);
        }
    }

    /** A copy with some fields changed, so each {@code with} names only its own field. */
    private static final class Builder {
        private Scheme scheme;
        private LstmArchitecture architecture;
        private int maxEpochs;
        private int patience;
        private double minDelta;
        private final double validationFraction;
        private int sequenceLength;
        private int chunks;
        private final int batchSize;
        private double learningRate;
        private double dropout;
        private long seed;
        private ScalingRules scaling;
        private Engine engine;
        private String origin;

        Builder(TrainingConfig c) {
            scheme = c.scheme;
            architecture = c.architecture;
            maxEpochs = c.maxEpochs;
            patience = c.patience;
            minDelta = c.minDelta;
            validationFraction = c.validationFraction;
            sequenceLength = c.sequenceLength;
            chunks = c.chunks;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            dropout = c.dropout;
            seed = c.seed;
            scaling = c.scaling;
            engine = c.engine;
            origin = c.origin;
        }

        Builder scheme(Scheme s, Engine e) { scheme = s; engine = e; return this; }
        Builder architecture(LstmArchitecture a) { architecture = a; return this; }
        Builder maxEpochs(int e) { maxEpochs = e; return this; }
        Builder patience(int p) { patience = p; return this; }
        Builder minDelta(double d) { minDelta = d; return this; }
        Builder sequenceLength(int l) { sequenceLength = l; return this; }
        Builder chunks(int c) { chunks = c; return this; }
        Builder learningRate(double lr) { learningRate = lr; return this; }
        Builder dropout(double d) { dropout = d; return this; }
        Builder seed(long s) { seed = s; return this; }
        Builder scaling(ScalingRules r) { scaling = r; return this; }
        Builder engine(Engine e) { engine = e; return this; }
        Builder origin(String o) { origin = o; return this; }

        TrainingConfig build() {
            return new TrainingConfig(scheme, architecture, maxEpochs, patience, minDelta, validationFraction,
                    sequenceLength, chunks, batchSize, learningRate, dropout, seed, scaling, engine, origin);
        }
    }
}
