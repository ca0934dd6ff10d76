package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.release.ActiveModel;
import io.vigil.topology.release.ModelDescriptor;
import io.vigil.topology.scoring.drift.DriftReference;
import io.vigil.topology.release.ScaleRange;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The channel scorer against its own stored form: what it writes per point, and that a channel loaded
 * from its checkpoint and tail at any point scores on exactly as one that never stopped.
 */
class ChannelScorerTest {

    private static final LstmArchitecture SHAPE = TestModels.shape(2, 16);
    private static final ChannelScorer.Rules RULES = new ChannelScorer.Rules(ScoringSettings.DEFAULT,
            new BaselineDetector(BaselineDetector.Settings.DEFAULT), LstmForwardPasses.best());
    private static final long MINUTE = 60_000;

    /** A channel's two stores, as maps. */
    private static final class Stores {
        final Map<String, byte[]> records = new HashMap<>();
        final Map<String, byte[]> window = new HashMap<>();
        int recordWrites;
        int windowWrites;

        void apply(String channel, byte[] record, List<ChannelScorer.WindowWrite> writes) {
            for (ChannelScorer.WindowWrite w : writes) {
                if (w.value() == null) {
                    window.remove(w.key());
                } else {
                    window.put(w.key(), w.value());
                    windowWrites++;
                }
            }
            if (record != null) {
                records.put(channel, record);
                recordWrites++;
            }
        }

        Stores copy() {
            Stores c = new Stores();
            c.records.putAll(records);
            c.window.putAll(window);
            return c;
        }
    }

    private static ActiveModel model(int version, ThresholdSettings settings) {
        return model(SHAPE, version, settings);
    }

    /** The models here carry a sketch, so every test of loading and replay covers the drift window too. */
    private static ActiveModel model(LstmArchitecture shape, int version, ThresholdSettings settings) {
        return model(shape, version, settings, SKETCH);
    }

    /** A sketch of values spread evenly over [-0.5, 0.5]: the test series wander beyond it. */
    private static final DriftReference SKETCH = uniformSketch();

    private static DriftReference uniformSketch() {
        float[] q = new float[DriftReference.QUANTILES];
        for (int i = 0; i < q.length; i++) {
            q[i] = -0.5f + (float) i / (q.length - 1);
        }
        return new DriftReference(q);
    }

    private static ActiveModel model(LstmArchitecture shape, int version, ThresholdSettings settings,
                                     DriftReference sketch) {
        byte[] parameters = TestModels.persistenceParameters(shape, version, 0.05);
        List<ScaleRange> inputs = java.util.Collections.nCopies(shape.getInputSize() - 1, new ScaleRange(0, 1));
        ModelDescriptor d = new ModelDescriptor(version, "sum-" + version, shape, new ScaleRange(-1.5, 1.5), inputs,
                settings, 0, sketch);
        return new ActiveModel(d, LstmParameters.fromBytes(shape, parameters, LstmParameters.Precision.FLOAT32));
    }

    private static ChannelScorer.Step step(ChannelScorer s, Stores stores, int i, double value, ActiveModel model) {
        return step(s, stores, i, value, ChannelCodec.NO_INPUTS, model);
    }

    private static ChannelScorer.Step step(ChannelScorer s, Stores stores, int i, double value, double[] inputs,
                                           ActiveModel model) {
        ChannelScorer.Step step = s.step(i * MINUTE, value, inputs, model, stores.window::get, RULES);
        stores.apply("ch", step.record(), step.windowWrites());
        return step;
    }

    @Test
    void aChannelLoadedAtAnyPointScoresOnExactlyAsOneThatNeverStopped() {
        assertLoadedChannelsScoreOnAsTheLiveOne(model(1, TestModels.SMALL), i -> ChannelCodec.NO_INPUTS);
    }

    /** The tail keeps each point's inputs: a channel replayed from it is fed what the live one was fed. */
    @Test
    void aChannelWithInputFeaturesLoadedAtAnyPointScoresOnExactlyAsOneThatNeverStopped() {
        LstmArchitecture withInputs = LstmArchitecture.newBuilder(SHAPE).setInputSize(4).build();
        assertLoadedChannelsScoreOnAsTheLiveOne(model(withInputs, 1, TestModels.SMALL),
                i -> new double[] {i % 50 < 5 ? 1 : 0, Math.sin(i / 9.0), (i / 17) % 2});
    }

    private static void assertLoadedChannelsScoreOnAsTheLiveOne(ActiveModel model,
                                                                java.util.function.IntFunction<double[]> inputs) {
        double[] values = LstmScoringTest.series(700, 5, 1.2, 20, 200, 420, 600);
        ChannelScorer live = ChannelScorer.fresh("ch");
        Stores stores = new Stores();
        ChannelScorer.Step[] steps = new ChannelScorer.Step[values.length];
        Map<Integer, Stores> snapshots = new HashMap<>();
        int segments = 0;
        for (int i = 0; i < values.length; i++) {
            steps[i] = step(live, stores, i, values[i], inputs.apply(i), model);
            segments += steps[i].changes().size();
            if (i % 13 == 5 && i + 40 < values.length) {
                snapshots.put(i, stores.copy());
            }
        }
        assertTrue(segments >= 4, "the series opens and closes segments: " + segments);
        for (Map.Entry<Integer, Stores> cut : snapshots.entrySet()) {
            Stores restored = cut.getValue();
            ChannelScorer.Loaded loaded = ChannelScorer.load("ch", restored.records.get("ch"), model,
                    restored.window::get, RULES);
            assertNull(loaded.record(), "replaying a tail decides nothing new");
            assertTrue(loaded.changes().isEmpty());
            for (int k = cut.getKey() + 1; k < cut.getKey() + 40; k++) {
                assertStepsEqual(steps[k], step(loaded.scorer(), restored, k, values[k], inputs.apply(k), model), k);
            }
        }
    }

    @Test
    void aPointWhoseInputsAreNotTheModelsIsRefusedAndChangesNothing() {
        LstmArchitecture withInputs = LstmArchitecture.newBuilder(SHAPE).setInputSize(3).build();
        ActiveModel model = model(withInputs, 1, TestModels.SMALL);
        ChannelScorer s = ChannelScorer.fresh("ch");
        Stores stores = new Stores();
        step(s, stores, 0, 0.1, new double[] {1, 0}, model);
        for (double[] wrong : new double[][] {ChannelCodec.NO_INPUTS, {1}, {1, 0, 0}}) {
            PointRefused refused = assertThrows(PointRefused.class,
                    () -> s.step(MINUTE, 0.2, wrong, model, stores.window::get, RULES));
            assertEquals(io.vigil.avro.DeadLetterReason.INPUTS_MISMATCH, refused.reason());
            assertTrue(refused.changedNothing());
            assertTrue(refused.getMessage().contains(wrong.length + " input features"), refused.getMessage());
        }
        assertEquals(1, s.lstmSteps(), "the refused points were not fed to the network");
        PointRefused huge = assertThrows(PointRefused.class,
                () -> s.step(MINUTE, 0.2, new double[] {1e300, 0}, model, stores.window::get, RULES));
        assertEquals(io.vigil.avro.DeadLetterReason.VALUE_OUT_OF_RANGE, huge.reason());
        assertTrue(huge.getMessage().startsWith("input 0 "), huge.getMessage());
        ChannelScorer restored = ChannelScorer.load("ch", stores.records.get("ch"), model, stores.window::get, RULES).scorer();
        assertEquals(1, restored.lstmSteps(), "what the stores hold is the state before the refused point");
        step(restored, stores, 1, 0.2, new double[] {0, 1}, model);
        assertEquals(2, restored.lstmSteps());
        ChannelScorer baseline = ChannelScorer.fresh("b");
        baseline.step(0, 1.0, new double[] {1, 2, 3}, null, key -> null, RULES);
        assertNull(baseline.modelVersion(), "the baseline scores the value and takes any inputs");
    }

    /** A Telemanom replay sends command columns before any model takes them: a model of the value alone ignores them. */
    @Test
    void aModelOfTheValueAloneScoresAPointWithInputsAsThePointWithout() {
        ActiveModel model = model(1, TestModels.SMALL);
        ChannelScorer plain = ChannelScorer.fresh("ch");
        ChannelScorer withInputs = ChannelScorer.fresh("ch");
        Stores a = new Stores();
        Stores b = new Stores();
        for (int i = 0; i < 60; i++) {
            double v = Math.sin(i / 7.0);
            assertStepsEqual(step(plain, a, i, v, model), step(withInputs, b, i, v, new double[] {i % 2, 5}, model), i);
        }
    }

    private static void assertStepsEqual(ChannelScorer.Step expected, ChannelScorer.Step actual, int k) {
        assertEquals(expected.verdict(), actual.verdict(), "verdict at " + k);
        assertEquals(expected.changes(), actual.changes(), "segments at " + k);
        assertArrayEquals(expected.record(), actual.record(), "record at " + k);
        assertEquals(expected.windowWrites().size(), actual.windowWrites().size(), "window writes at " + k);
        for (int w = 0; w < expected.windowWrites().size(); w++) {
            assertEquals(expected.windowWrites().get(w).key(), actual.windowWrites().get(w).key());
            assertArrayEquals(expected.windowWrites().get(w).value(), actual.windowWrites().get(w).value());
        }
    }

    @Test
    void anLstmChannelRewritesItsRecordOncePerBatchAndOtherwiseAppendsOneSmallTailEntry() {
        ThresholdSettings settings = ThresholdSettings.DEFAULT;
        ActiveModel model = model(1, settings);
        double[] values = LstmScoringTest.series(5_000, 9, 0, 0);
        ChannelScorer channel = ChannelScorer.fresh("ch");
        Stores stores = new Stores();
        int tailBytes = 0;
        int tailEntries = 0;
        for (int i = 0; i < values.length; i++) {
            ChannelScorer.Step step = step(channel, stores, i, values[i], model);
            if (step.record() == null) {
                assertEquals(1, step.windowWrites().size(), "a point without a checkpoint writes one entry");
                tailBytes += step.windowWrites().get(0).value().length;
                tailEntries++;
            }
        }
        assertEquals(25, tailBytes / tailEntries);
        // The first point, two during the 250-step warm-up, then one per batch of 70.
        int expected = 1 + 250 / ChannelScorer.TAIL_LIMIT + (values.length - 250) / settings.batchSize();
        assertTrue(Math.abs(stores.recordWrites - expected) <= 1, stores.recordWrites + " records, about " + expected);
        assertTrue(stores.window.keySet().stream().allMatch(k -> k.startsWith("ch/c") || k.startsWith("ch/t")));
    }

    @Test
    void aTailScoredByAModelThatIsGoneKeepsOrderAndLetsTheNextPointReset() {
        ActiveModel v1 = model(1, TestModels.SMALL);
        ActiveModel v2 = model(2, TestModels.SMALL);
        ChannelScorer channel = ChannelScorer.fresh("ch");
        Stores stores = new Stores();
        for (int i = 0; i < 15; i++) {
            step(channel, stores, i, Math.sin(i / 5.0), v1);
        }
        ChannelScorer.Loaded loaded = ChannelScorer.load("ch", stores.records.get("ch"), v2, stores.window::get, RULES);
        ChannelScorer restored = loaded.scorer();
        assertEquals(14 * MINUTE, restored.lastTime(), "the tail's times are known without its model");
        assertThrows(PointRefused.class, () -> restored.step(14 * MINUTE, 0, ChannelCodec.NO_INPUTS, v2, stores.window::get, RULES));
        ChannelScorer.Step next = restored.step(15 * MINUTE, 0.1, ChannelCodec.NO_INPUTS, v2, stores.window::get, RULES);
        assertEquals(ChannelScorer.Reset.MODEL, next.reset());
        assertEquals(2, next.modelVersion());
        assertNotNull(next.record());
    }

    @Test
    void aRecordReadsBackToTheSameBytesAndAnythingElseIsRefused() {
        ActiveModel model = model(3, TestModels.SMALL);
        ChannelScorer channel = ChannelScorer.fresh("ch");
        Stores stores = new Stores();
        for (int i = 0; i < 200; i++) {
            step(channel, stores, i, Math.sin(i / 7.0), model);
        }
        byte[] record = stores.records.get("ch");
        assertArrayEquals(record, ChannelCodec.record(ChannelCodec.record("ch", record)));
        assertThrows(IllegalArgumentException.class, () -> ChannelCodec.record("ch", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> ChannelCodec.record("ch", Arrays.copyOf(record, record.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> ChannelCodec.record("ch", Arrays.copyOf(record, record.length + 4)));
        byte[] otherFormat = record.clone();
        otherFormat[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> ChannelCodec.record("ch", otherFormat));

        ChannelScorer baseline = ChannelScorer.fresh("plain");
        baseline.step(0, 1.0, ChannelCodec.NO_INPUTS, null, key -> null, RULES);
        byte[] small = baseline.step(MINUTE, 2.0, ChannelCodec.NO_INPUTS, null, key -> null, RULES).record();
        assertArrayEquals(small, ChannelCodec.record(ChannelCodec.record("plain", small)));
        assertEquals(2, ChannelCodec.record("plain", small).baseline().count());
    }

    @Test
    void everyValueOfAModelWithASketchCarriesTheDriftOfTheChannelsRecentValues() {
        ActiveModel model = model(1, TestModels.SMALL);
        ChannelScorer channel = ChannelScorer.fresh("ch");
        Stores stores = new Stores();
        double[] drift = new double[400];
        for (int i = 0; i < drift.length; i++) {
            // scaled: within the sketch's [-0.5, 0.5] for 200 points, then a step to 1.0 beyond it
            drift[i] = step(channel, stores, i, i < 200 ? 0.75 * Math.sin(i / 5.0) : 1.5, model).verdict().drift();
        }
        assertTrue(Double.isFinite(drift[0]), "measured from the first value, warm-up included");
        assertTrue(drift[199] < 0.25, "near the training values: " + drift[199]);
        assertTrue(drift[399] > drift[250] && drift[250] > drift[199] && drift[399] > 2 * drift[199],
                "after the step the distance grows towards the step's: " + drift[250] + ", " + drift[399]);

        ChannelScorer baseline = ChannelScorer.fresh("plain");
        assertTrue(Double.isNaN(baseline.step(0, 1.0, ChannelCodec.NO_INPUTS, null, key -> null, RULES).verdict().drift()),
                "the baseline measures no drift");
        ChannelScorer unsketched = ChannelScorer.fresh("old");
        assertTrue(Double.isNaN(step(unsketched, new Stores(), 0, 1.0, model(SHAPE, 2, TestModels.SMALL, null))
                .verdict().drift()), "nor does a model released without a sketch");
    }

    /**
     * A record without a drift window has the layout of the records stored before drift, which an
     * upgraded scorer reads and goes on from, measuring drift from there once its model has a sketch.
     */
    @Test
    void aRecordWithoutADriftWindowHasThePreDriftLayoutAndItsChannelStartsAWindowLater() {
        ActiveModel unsketched = model(SHAPE, 5, TestModels.SMALL, null);
        ActiveModel sketched = model(SHAPE, 5, TestModels.SMALL, SKETCH);
        ChannelScorer before = ChannelScorer.fresh("ch");
        ChannelScorer with = ChannelScorer.fresh("ch");
        Stores stores = new Stores();
        Stores withStores = new Stores();
        for (int i = 0; i < 150; i++) {
            step(before, stores, i, Math.sin(i / 7.0), unsketched);
            step(with, withStores, i, Math.sin(i / 7.0), sketched);
        }
        byte[] record = stores.records.get("ch");
        assertEquals(withStores.records.get("ch").length, record.length + 1 + 4 + (SKETCH.intervals() + 6) * 8,
                "the same channel's record with a window is that record, a byte 1 and the window");
        ChannelScorer read = ChannelCodec.record("ch", record);
        assertEquals(before.points, read.points);

        ChannelScorer.Step next = read.step(150 * MINUTE, 0.1, ChannelCodec.NO_INPUTS, sketched, stores.window::get, RULES);
        assertEquals(ChannelScorer.Reset.NONE, next.reset(), "the channel goes on with its state");
        assertTrue(Double.isFinite(next.verdict().drift()), "and measures drift from here");
    }

    @Test
    void aTailEntryKeepsItsInputsAndAnEntryOfAnotherLengthIsNone() {
        byte[] plain = ChannelCodec.tail(7, 420, 1.5, ChannelCodec.NO_INPUTS);
        assertEquals(25, plain.length, "an entry without inputs is as it was before models took inputs");
        ChannelCodec.TailEntry read = ChannelCodec.tail(plain);
        assertEquals(7, read.point());
        assertEquals(0, read.inputs().length);
        byte[] withInputs = ChannelCodec.tail(8, 480, -2, new double[] {1, 0, 0.25});
        assertArrayEquals(new double[] {1, 0, 0.25}, ChannelCodec.tail(withInputs).inputs());
        assertNull(ChannelCodec.tail(java.util.Arrays.copyOf(withInputs, withInputs.length - 8)));
        assertNull(ChannelCodec.tail(java.util.Arrays.copyOf(plain, plain.length + 2)));
    }
}
