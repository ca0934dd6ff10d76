package io.vigil.models.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.data.ChannelData;
import io.vigil.models.export.ParameterExport;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ChannelTrainerTest {

    @Test
    void truncatedBpttOverParallelSubSequencesLowersTheValidationLoss() {
        ChannelData data = Series.sine("sine-a", 400, 50, 10);
        TrainedModel m = ChannelTrainer.train(data, Series.tiny(Scheme.TBPTT, 6).withChunks(2));
        System.out.printf("tbptt: %s%n", Arrays.toString(m.valHistory()));
        assertTrue(m.valLoss() < m.valHistory()[0] * 0.5, "validation loss halved at least: " + Arrays.toString(m.valHistory()));
        assertTrue(m.bestEpoch() >= 1);
        assertEquals(m.valHistory()[m.bestEpoch()], m.valLoss());
        assertEquals(2, m.chunks());
        assertEquals(400, m.trainPoints());
        assertEquals(320, m.fitPoints());
        assertEquals(ParameterExport.export(m.network()).checksum(), m.export().checksum(), "the export is of the kept parameters");
        assertEquals(data.trainHash(), m.dataHash());
        assertTrue(m.seconds() < 60, "a tiny network trains in seconds: " + m.seconds());
    }

    @Test
    void telemanomWindowsLowerTheValidationLossToo() {
        ChannelData data = Series.sine("sine-b", 300, -3, 2);
        TrainedModel m = ChannelTrainer.train(data, Series.tiny(Scheme.WINDOWS, 3));
        System.out.printf("windows: %s%n", Arrays.toString(m.valHistory()));
        assertTrue(m.valLoss() < m.valHistory()[0] * 0.7, "validation loss lowered: " + Arrays.toString(m.valHistory()));
        assertEquals(240 - 40, m.chunks(), "one window per fitting point after the first l_s");
    }

    @Test
    void keptParametersAreTheBestEpochsAndTheirLossReproduces() {
        ChannelData data = Series.sine("sine-c", 300, 0, 1);
        TrainedModel m = ChannelTrainer.train(data, Series.tiny(Scheme.TBPTT, 3));
        float[] scaled = Scaling.apply(m.bounds(), data.train());
        Validation v = new Validation(scaled, m.fitPoints(), 40, 40);
        assertEquals(m.valLoss(), v.loss(m.network()), 1e-6, "the released parameters have the reported validation loss");
    }

    /** What the scorer will be fed: the candidate takes 1 + k features and names the k inputs with their bounds. */
    @Test
    void aChannelWithInputsTrainsANetworkOfOnePlusKFeaturesThatTheScorerAccepts() throws Exception {
        ChannelData sine = Series.sine("sine-in", 300, 0, 1);
        int n = sine.train().length;
        double[][] train = new double[2][n];
        for (int i = 0; i < n; i++) {
            train[0][i] = (i / 40) % 2;                 // a flag
            train[1][i] = 100 + Math.sin(2 * Math.PI * i / 40.0); // a setpoint in its own units
        }
        ChannelData data = new ChannelData(sine.channelId(), "test", sine.train(), sine.test(), null, null,
                java.util.List.of(), java.util.List.of(), new io.vigil.models.data.InputColumns(
                        java.util.List.of("flag", "setpoint"), train, new double[][] {{0}, {100}}));
        TrainedModel m = ChannelTrainer.train(data, Series.tiny(Scheme.TBPTT, 2));
        assertEquals(3, m.export().architecture().getInputSize());
        assertEquals(java.util.List.of("flag", "setpoint"), m.inputs().stream().map(i -> i.getName()).toList());
        assertEquals(0.0, m.inputs().get(0).getScaling().getMin());
        assertEquals(1.0, m.inputs().get(0).getScaling().getMax());
        assertEquals(99.0, m.inputs().get(1).getScaling().getMin(), 1e-3);
        Validation v = new Validation(ChannelTrainer.features(data, m.bounds(), m.inputs()), m.fitPoints(), 40, 40);
        assertEquals(m.valLoss(), v.loss(m.network()), 1e-6, "the loss is the one of the features as fed");
        assertTrue(!data.trainHash().equals(data.withoutInputs().trainHash()), "the data hash covers the inputs");

        io.vigil.avro.ModelRelease candidate = CandidateFiles.toCandidate(m, "test", "telemanom");
        assertEquals(2, candidate.getInputs().size());
        io.vigil.topology.release.ReleaseCheck.check(io.vigil.avro.ModelRelease.newBuilder(candidate)
                .setAlias(io.vigil.topology.release.ReleaseCheck.CHAMPION).setVersion(1).build(),
                io.vigil.topology.scoring.lstm.LstmParameters.Precision.FLOAT32);
    }

    @Test
    void earlyStoppingCountsEpochsWithoutAnImprovementOfMinDelta() {
        ChannelData data = Series.sine("sine-d", 200, 0, 1);
        TrainingConfig config = Series.tiny(Scheme.TBPTT, 50).withPatience(3);
        config = config.withMinDelta(10.0);
        TrainedModel m = ChannelTrainer.train(data, config);
        assertEquals(3, m.epochs(), "no epoch can improve by 10, so training stops after the patience of 3");
    }

    @Test
    void scalingBoundsComeFromTheTrainingSeriesOnly() {
        ChannelData base = Series.sine("sine-e", 200, 20, 5);
        double[] test = {-1e6, 1e6};
        ChannelData data = new ChannelData(base.channelId(), "test", base.train(), test, null, null, java.util.List.of(),
                java.util.List.of());
        TrainedModel m = ChannelTrainer.train(data, Series.tiny(Scheme.TBPTT, 1));
        double min = Arrays.stream(data.train()).min().orElseThrow();
        double max = Arrays.stream(data.train()).max().orElseThrow();
        assertEquals(min, m.bounds().getMin());
        assertEquals(max, m.bounds().getMax());
    }

    @Test
    void picksOneSubSequencePerEightSegmentsOfLsUpToSixteen() {
        TrainingConfig c = TrainingConfig.defaults();
        assertEquals(1, ChannelTrainer.chunksFor(1_700, c), "machine_temperature's 1,700 fitting steps: one sequence");
        assertEquals(8, ChannelTrainer.chunksFor(16_000, c));
        assertEquals(16, ChannelTrainer.chunksFor(1_000_000, c));
        assertEquals(3, ChannelTrainer.chunksFor(16_000, c.withChunks(3)), "an explicit count wins");
    }

    @Test
    void refusesSeriesTooShortForTheScheme() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ChannelTrainer.train(Series.sine("short", 45, 0, 1), Series.tiny(Scheme.WINDOWS, 1)));
        assertTrue(e.getMessage().contains("short: 45 training points are too few"), e.getMessage());
    }

    /**
     * The validation loss is what the scorer would see: each held-out value predicted by a network that
     * has stepped through the values before it (warm-up l_s), one at a time, from a cleared state.
     */
    @Test
    void validationLossEqualsStepByStepForecastsWithWarmUp() {
        MultiLayerNetwork network = io.vigil.models.network.TelemanomNetwork.create(Series.TINY, 1e-3, 3);
        float[] series = new float[230];
        for (int i = 0; i < series.length; i++) {
            series[i] = (float) Math.sin(i / 7.0);
        }
        int firstTarget = 150;
        int warmUp = 30;
        int piece = 25;
        double expected = 0;
        int count = 0;
        for (int start = firstTarget; start < series.length; start += piece) {
            network.rnnClearPreviousState();
            for (int t = start - warmUp; t < Math.min(start + piece, series.length); t++) {
                float forecast = network.rnnTimeStep(Nd4j.create(new float[] {series[t - 1]}, new long[] {1, 1, 1})).getFloat(0);
                if (t >= start) {
                    double e = forecast - series[t];
                    expected += e * e;
                    count++;
                }
            }
        }
        Validation v = new Validation(series, firstTarget, warmUp, piece);
        assertEquals(80, v.targets());
        assertEquals(80, count);
        assertEquals(expected / count, v.loss(network), 1e-6);
    }
}
