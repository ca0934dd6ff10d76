package io.vigil.models.training;

import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelInput;
import io.vigil.avro.ScalingBounds;
import io.vigil.models.data.ChannelData;
import io.vigil.models.data.InputColumns;
import io.vigil.models.export.ParameterExport;
import io.vigil.models.network.TelemanomNetwork;
import io.vigil.topology.scoring.drift.DriftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one channel's forecaster on its nominal training series: Telemanom's network
 * ({@link TelemanomNetwork}), one step ahead, on values scaled with bounds fixed from the training
 * series ({@link Scaling}), or given by the operator for channels like it ({@link ScalingRules}). A
 * channel with input features ({@link InputColumns}) is fed each step's value and inputs, each input
 * scaled with bounds learned from its training column, and forecasts the next value: the network
 * takes {@code 1 + inputs} features, whatever the configured architecture's input size. The
 * last {@code validationFraction} of the series is held out; after every epoch the {@link Validation}
 * loss decides early stopping (patience, min delta), and the best epoch's parameters are kept (Telemanom kept the last epoch's; keeping the best is never worse on validation).
 * The model also carries a quantile sketch of the scaled training series, the distribution the scorer
 * measures the channel's drift against.
 *
 * <p>The tBPTT scheme's gradients come from the {@link Engine} the config names: the project's
 * {@link LstmKernel} by default, or DL4J's {@code fit}; the windows scheme always runs on DL4J.
 *
 * <p>A {@link MultiLayerNetwork} is not thread-safe: each call builds its own, so calls may run in
 * parallel on different threads.
 */
public final class ChannelTrainer {

    /** Told after each epoch; for progress display. */
    @FunctionalInterface
    public interface EpochListener {
        void epochDone(String channelId, int epoch, double valLoss, double bestValLoss);

        EpochListener NONE = (c, e, v, b) -> { };
    }

    /** Sub-sequences of the tBPTT scheme at most: more only add minibatch width. */
    static final int MAX_CHUNKS = 16;
    /** Aimed-for tBPTT segments (updates) per sub-sequence and epoch when the chunk count is picked. */
    static final int SEGMENTS_PER_CHUNK = 8;

    private ChannelTrainer() {}

    public static TrainedModel train(ChannelData data, TrainingConfig config) {
        return train(data, config, EpochListener.NONE);
    }

    /**
     * @throws IllegalArgumentException if the training series is too short for the config
     */
    public static TrainedModel train(ChannelData data, TrainingConfig config, EpochListener listener) {
        long started = System.nanoTime();
        if (config.architecture().getOutputSize() != 1) {
            throw new IllegalArgumentException("the trainer fits one-step-ahead forecasters of one output; "
                    + "architecture " + config.architecture() + " is not one");
        }
        double[] train = data.train();
        int n = train.length;
        int validationPoints = (int) Math.round(n * config.validationFraction());
        int fitPoints = n - validationPoints;
        // Both schemes need l_s values before the first target: a window, or the validation warm-up.
        int neededFit = config.sequenceLength() + 1;
        if (validationPoints < 1 || fitPoints < neededFit) {
            throw new IllegalArgumentException(String.format("%s: %d training points are too few: %.0f %% validation"
                    + " leaves %d to fit, at least l_s + 1 = %d are needed", data.channelId(), n,
                    config.validationFraction() * 100, fitPoints, neededFit));
        }
        ScalingBounds bounds = config.scaling().boundsFor(data.channelId(), train);
        List<ModelInput> inputs = inputs(data.inputs());
        float[][] scaled = features(data, bounds, inputs);
        float[][] fit = new float[scaled.length][];
        for (int f = 0; f < scaled.length; f++) {
            fit[f] = Arrays.copyOf(scaled[f], fitPoints);
        }

        LstmArchitecture architecture = LstmArchitecture.newBuilder(config.architecture())
                .setInputSize(1 + inputs.size()).build();
        MultiLayerNetwork network = TelemanomNetwork.create(architecture, config.learningRate(), config.keepProbability(),
                config.seed());
        Validation validation = new Validation(scaled, fitPoints, config.sequenceLength(), config.sequenceLength());
        SplittableRandom random = new SplittableRandom(config.seed() ^ data.channelId().hashCode());
        EpochRunner runner = runner(network, fit, validation, config, random);

        double[] history = new double[config.maxEpochs() + 1];
        double best = runner.validationLoss();
        history[0] = best;
        // Keras' EarlyStopping: an epoch improves when it beats the last improving epoch by minDelta, so
        // small gains that add up to minDelta count. The parameters kept are the lowest loss's regardless.
        double reference = best;
        float[] bestParams = runner.parameters().clone();
        int bestEpoch = 0;
        int sinceImprovement = 0;
        int epoch = 0;
        while (epoch < config.maxEpochs()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException(data.channelId() + ": training interrupted");
            }
            epoch++;
            runner.epoch();
            double loss = runner.validationLoss();
            history[epoch] = loss;
            if (loss < reference - config.minDelta()) {
                reference = loss;
                sinceImprovement = 0;
            } else {
                sinceImprovement++;
            }
            if (loss < best) {
                best = loss;
                bestEpoch = epoch;
                bestParams = runner.parameters().clone();
            }
            listener.epochDone(data.channelId(), epoch, loss, best);
            if (sinceImprovement >= config.patience()) {
                break;
            }
        }
        network.setParams(Nd4j.create(bestParams, new long[] {1, bestParams.length}, 'c'));
        network.rnnClearPreviousState();
        ParameterExport.Export export = ParameterExport.export(network);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new TrainedModel(data.channelId(), data.source(), config, network, export, bounds, inputs, epoch, bestEpoch, best,
                Arrays.copyOf(history, epoch + 1), n, fitPoints, runner.sequences(), seconds, data.trainHash(),
                DriftReference.of(scaled[0]));
    }

    /** Each input with the bounds its training column fixes, as the release records it. */
    static List<ModelInput> inputs(InputColumns columns) {
        List<ModelInput> inputs = new ArrayList<>(columns.count());
        for (int i = 0; i < columns.count(); i++) {
            inputs.add(ModelInput.newBuilder().setName(columns.names().get(i))
                    .setScaling(Scaling.fit(columns.train()[i])).build());
        }
        return inputs;
    }

    /**
     * The network's inputs over the training series, scaled: {@code [feature][point]}, feature 0 the
     * value, feature 1 + i input i.
     */
    static float[][] features(ChannelData data, ScalingBounds value, List<ModelInput> inputs) {
        float[][] features = new float[1 + inputs.size()][];
        features[0] = Scaling.apply(value, data.train());
        for (int i = 0; i < inputs.size(); i++) {
            features[1 + i] = Scaling.apply(inputs.get(i).getScaling(), data.inputs().train()[i]);
        }
        return features;
    }

    /**
     * Copies {@code length} steps of every feature from {@code from} into {@code x}, laid out as DL4J's
     * {@code [batch, features, time]} in 'c' order at batch row {@code row}.
     */
    static void copySteps(float[][] features, int from, float[] x, int row, int length) {
        int width = features.length;
        for (int f = 0; f < width; f++) {
            System.arraycopy(features[f], from, x, (row * width + f) * length, length);
        }
    }

    /** Chunk count of the tBPTT scheme for {@code steps} one-step pairs. */
    static int chunksFor(int steps, TrainingConfig config) {
        if (config.chunks() > 0) {
            return Math.max(1, Math.min(config.chunks(), steps));
        }
        int k = steps / (config.sequenceLength() * SEGMENTS_PER_CHUNK);
        return Math.max(1, Math.min(MAX_CHUNKS, k));
    }

    private static EpochRunner runner(MultiLayerNetwork network, float[][] fit, Validation validation,
            TrainingConfig config, SplittableRandom random) {
        if (config.scheme() == Scheme.WINDOWS) {
            return new WindowEpochs(network, fit, validation, config, random);
        }
        if (config.engine() == Engine.DL4J) {
            return new TbpttEpochs(network, fit, validation, config, random);
        }
        // The kernel starts from DL4J's initial parameters, so the engines differ in speed, not in start.
        float[] initial = flatParameters(network);
        LstmKernel kernel = new LstmKernel(ParameterExport.architectureOf(network), initial, config.keepProbability());
        return new KernelTbpttEpochs(kernel, new Adam(config.learningRate(), initial.length), fit, validation, config,
                random);
    }

    /** DL4J's parameter vector as float32, the layout the kernel and the release use. */
    private static float[] flatParameters(MultiLayerNetwork network) {
        return network.params().castTo(DataType.FLOAT).toFloatVector();
    }

    private interface EpochRunner {
        void epoch();

        int sequences();

        double validationLoss();

        /** The parameters now, DL4J's flat layout; may be the live array. */
        float[] parameters();
    }

    /** A runner whose network is DL4J's: its validation loss and parameters are the network's. */
    private abstract static class Dl4jEpochs implements EpochRunner {
        final MultiLayerNetwork network;
        private final Validation validation;

        Dl4jEpochs(MultiLayerNetwork network, Validation validation) {
            this.network = network;
            this.validation = validation;
        }

        @Override
        public double validationLoss() {
            return validation.loss(network);
        }

        @Override
        public float[] parameters() {
            return flatParameters(network);
        }
    }

    /** The tBPTT scheme's sub-sequences of one epoch: inputs {@code [K, features, L]}, targets {@code [K, L]}. */
    private record Chunked(float[] x, float[] y, int chunks, int length) {

        /** Cuts the fitting part into {@code chunks} sub-sequences from a random offset below l_s. */
        static Chunked of(float[][] fit, int chunks, int lS, SplittableRandom random) {
            int steps = fit[0].length - 1;
            int maxOffset = Math.min(lS, steps / (2 * chunks));
            int offset = maxOffset > 0 ? random.nextInt(maxOffset) : 0;
            int length = (steps - offset) / chunks;
            float[] x = new float[chunks * fit.length * length];
            float[] y = new float[chunks * length];
            for (int k = 0; k < chunks; k++) {
                int from = offset + k * length;
                copySteps(fit, from, x, k, length);
                System.arraycopy(fit[0], from + 1, y, k * length, length);
            }
            return new Chunked(x, y, chunks, length);
        }
    }

    /**
     * The tBPTT scheme of {@link TbpttEpochs} on the project's {@link LstmKernel}: each epoch starts from
     * a zero state, and each segment of l_s steps is one Adam update, the state carried to the next.
     */
    private static final class KernelTbpttEpochs implements EpochRunner {
        private final LstmKernel kernel;
        private final Adam adam;
        private final float[][] fit;
        private final Validation validation;
        private final int chunks;
        private final int lS;
        private final SplittableRandom random;

        KernelTbpttEpochs(LstmKernel kernel, Adam adam, float[][] fit, Validation validation, TrainingConfig config,
                SplittableRandom random) {
            this.kernel = kernel;
            this.adam = adam;
            this.fit = fit;
            this.validation = validation;
            this.lS = config.sequenceLength();
            this.chunks = chunksFor(fit[0].length - 1, config);
            this.random = random;
        }

        @Override
        public void epoch() {
            Chunked epoch = Chunked.of(fit, chunks, lS, random);
            kernel.resetState(chunks);
            for (int from = 0; from < epoch.length(); from += lS) {
                int length = Math.min(lS, epoch.length() - from);
                kernel.segmentGradient(epoch.x(), epoch.y(), chunks, epoch.length(), from, length, random);
                adam.update(kernel.params(), kernel.gradient());
            }
        }

        @Override
        public int sequences() {
            return chunks;
        }

        @Override
        public double validationLoss() {
            return validation.loss(kernel);
        }

        @Override
        public float[] parameters() {
            return kernel.params();
        }
    }

    /**
     * The fitting part as {@code K} parallel sub-sequences of equal length {@code L} (one minibatch of
     * K), input value t, target value t + 1, trained in tBPTT segments of l_s with the state carried
     * from segment to segment. Each epoch starts the sub-sequences at a random offset below l_s, so the
     * segment boundaries fall elsewhere.
     */
    private static final class TbpttEpochs extends Dl4jEpochs {
        /** [feature][point]: feature 0 the value, the target one step ahead. */
        private final float[][] fit;
        private final int chunks;
        private final int lS;
        private final SplittableRandom random;

        TbpttEpochs(MultiLayerNetwork network, float[][] fit, Validation validation, TrainingConfig config,
                SplittableRandom random) {
            super(network, validation);
            this.fit = fit;
            this.lS = config.sequenceLength();
            this.chunks = chunksFor(fit[0].length - 1, config);
            this.random = random;
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
            conf.setBackpropType(BackpropType.TruncatedBPTT);
            conf.setTbpttFwdLength(lS);
            conf.setTbpttBackLength(lS);
        }

        @Override
        public void epoch() {
            Chunked epoch = Chunked.of(fit, chunks, lS, random);
            INDArray features = Nd4j.create(epoch.x(), new long[] {chunks, fit.length, epoch.length()}, 'c');
            INDArray labels = Nd4j.create(epoch.y(), new long[] {chunks, 1, epoch.length()}, 'c');
            network.fit(new DataSet(features, labels));
        }

        @Override
        public int sequences() {
            return chunks;
        }
    }

    /**
     * Telemanom's windows: window i is values i .. i + l_s - 1, its target value i + l_s, only the last
     * step's output is trained (a label mask), windows shuffled each epoch into minibatches.
     */
    private static final class WindowEpochs extends Dl4jEpochs {
        /** [feature][point], as in {@link TbpttEpochs}. */
        private final float[][] fit;
        private final int lS;
        private final int batch;
        private final int[] order;
        private final SplittableRandom random;

        WindowEpochs(MultiLayerNetwork network, float[][] fit, Validation validation, TrainingConfig config,
                SplittableRandom random) {
            super(network, validation);
            this.fit = fit;
            this.lS = config.sequenceLength();
            this.batch = config.batchSize();
            this.order = new int[fit[0].length - lS];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            this.random = random;
        }

        @Override
        public void epoch() {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < order.length; from += batch) {
                int b = Math.min(batch, order.length - from);
                float[] x = new float[b * fit.length * lS];
                float[] y = new float[b * lS];
                float[] mask = new float[b * lS];
                for (int k = 0; k < b; k++) {
                    int start = order[from + k];
                    copySteps(fit, start, x, k, lS);
                    y[k * lS + lS - 1] = fit[0][start + lS];
                    mask[k * lS + lS - 1] = 1;
                }
                network.fit(new DataSet(Nd4j.create(x, new long[] {b, fit.length, lS}, 'c'), Nd4j.create(y, new long[] {b, 1, lS}, 'c'),
                        null, Nd4j.create(mask, new long[] {b, lS}, 'c')));
            }
        }

        @Override
        public int sequences() {
            return order.length;
        }
    }
}
