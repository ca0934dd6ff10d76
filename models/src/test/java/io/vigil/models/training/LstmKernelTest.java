package io.vigil.models.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.data.ChannelData;
import io.vigil.models.network.TelemanomNetwork;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The kernel computes Telemanom's network as DL4J does (forecasts from the same parameters), its
 * gradients are the derivatives of its loss (finite differences, with the carried state held fixed as
 * tBPTT holds it), its Adam is DL4J's, and what it trains scores in DL4J as it did in training.
 */
class LstmKernelTest {

    private static final LstmArchitecture SHAPE = LstmArchitecture.newBuilder().setInputSize(3).setLayers(2).setUnits(5)
            .setOutputSize(1).build();

    @Test
    void forecastsWhatDl4jForecastsFromTheSameParameters() {
        MultiLayerNetwork network = perturbed(TelemanomNetwork.create(SHAPE, 1e-3, 7), 11);
        int batch = 3;
        int length = 40;
        float[] x = randomInputs(batch, SHAPE.getInputSize(), length, 5);
        INDArray out = network.output(Nd4j.create(x, new long[] {batch, SHAPE.getInputSize(), length}, 'c'), false);
        float[] expected = out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c')
                .reshape((long) batch * length).toFloatVector();

        LstmKernel kernel = new LstmKernel(SHAPE, params(network), TelemanomNetwork.KEEP_PROBABILITY);
        float[] actual = kernel.predict(x, batch, length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < 1e-5, "max |kernel - DL4J| = " + worst);
    }

    @Test
    void segmentGradientsAreTheDerivativesOfTheSegmentLossFromTheCarriedState() {
        float[] params = params(perturbed(TelemanomNetwork.create(SHAPE, 1e-3, 3), 4));
        int batch = 2;
        int total = 24;
        int segment = 12;
        float[] x = randomInputs(batch, SHAPE.getInputSize(), total, 9);
        float[] y = randomInputs(batch, 1, total, 10);
        // No dropout, so the loss is a function of the parameters alone.
        LstmKernel kernel = new LstmKernel(SHAPE, params, 1.0);
        kernel.resetState(batch);
        kernel.segmentGradient(x, y, batch, total, 0, segment, new SplittableRandom(1)); // the state to carry
        kernel.segmentGradient(x, y, batch, total, segment, segment, new SplittableRandom(1));
        float[] analytic = kernel.gradient().clone();

        SplittableRandom pick = new SplittableRandom(2);
        int checked = 0;
        for (int n = 0; n < 60; n++) {
            int k = pick.nextInt(params.length);
            double h = 1e-2;
            double numeric = (secondSegmentLoss(params, k, h, x, y, batch, total, segment)
                    - secondSegmentLoss(params, k, -h, x, y, batch, total, segment)) / (2 * h);
            assertEquals(numeric, analytic[k], 2e-3 + 2e-2 * Math.abs(numeric), "d loss / d param " + k);
            checked += Math.abs(numeric) > 1e-3 ? 1 : 0;
        }
        assertTrue(checked > 20, "only " + checked + " of the sampled derivatives were not near 0");
    }

    /**
     * The second segment's loss with parameter {@code k} moved by {@code delta}, from the state the
     * unmoved parameters carried out of the first: tBPTT treats that state as given.
     */
    private static double secondSegmentLoss(float[] params, int k, double delta, float[] x, float[] y, int batch,
            int total, int segment) {
        float[] moved = params.clone();
        LstmKernel kernel = new LstmKernel(SHAPE, moved, 1.0);
        kernel.resetState(batch);
        kernel.segmentGradient(x, y, batch, total, 0, segment, new SplittableRandom(1));
        moved[k] += (float) delta;
        return kernel.segmentGradient(x, y, batch, total, segment, segment, new SplittableRandom(1));
    }

    @Test
    void adamStepsAsDl4jsAdamUpdater() {
        int n = 50;
        float[] params = randomInputs(1, 1, n, 1);
        float[] expected = params.clone();
        Adam adam = new Adam(1e-3, n);
        var dl4j = new org.nd4j.linalg.learning.config.Adam(1e-3).instantiate(Nd4j.zeros(DataType.FLOAT, 1, 2L * n), true);
        for (int iteration = 0; iteration < 5; iteration++) {
            float[] gradient = randomInputs(1, 1, n, 100 + iteration);
            INDArray update = Nd4j.create(gradient.clone(), new long[] {1, n}, 'c');
            dl4j.applyUpdater(update, iteration, 0);
            float[] step = update.toFloatVector();
            for (int k = 0; k < n; k++) {
                expected[k] -= step[k];
            }
            adam.update(params, gradient);
        }
        for (int k = 0; k < n; k++) {
            assertEquals(expected[k], params[k], 1e-6, "parameter " + k);
        }
    }

    @Test
    void aModelTheKernelTrainedScoresInDl4jAsItDidInTraining() {
        ChannelData data = Series.sine("sine-k", 400, 0, 1);
        TrainingConfig config = Series.tiny(Scheme.TBPTT, 15).withEngine(Engine.VIGIL);
        TrainedModel m = ChannelTrainer.train(data, config);

        float[][] scaled = ChannelTrainer.features(data, m.bounds(), m.inputs());
        Validation validation = new Validation(scaled, m.fitPoints(), config.sequenceLength(), config.sequenceLength());
        double inDl4j = validation.loss(m.network());
        assertEquals(m.valLoss(), inDl4j, 1e-6 + 1e-4 * m.valLoss(), "validation loss in DL4J vs in training");
        assertTrue(m.valLoss() < m.valHistory()[0] / 4,
                "training lowered the validation loss from " + m.valHistory()[0] + " only to " + m.valLoss());
    }

    private static MultiLayerNetwork perturbed(MultiLayerNetwork network, long seed) {
        // Biases start at 0 (the forget gate's at 1): random ones exercise every parameter.
        SplittableRandom random = new SplittableRandom(seed);
        INDArray p = network.params();
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(i, p.getDouble(i) + (random.nextDouble() - 0.5) * 0.6);
        }
        return network;
    }

    private static float[] params(MultiLayerNetwork network) {
        return network.params().castTo(DataType.FLOAT).toFloatVector();
    }

    private static float[] randomInputs(int batch, int width, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[batch * width * length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
