package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BaselineDetectorTest {

    @Test
    void firstPointForecastsItselfAndHasNoThreshold() {
        BaselineDetector detector = new BaselineDetector(new BaselineDetector.Settings(3, 3, 2.0, 2));
        BaselineDetector.Verdict v = detector.score(null, 1000, 5.0);
        assertEquals(5.0, v.forecast());
        assertEquals(0.0, v.error());
        assertTrue(Double.isNaN(v.threshold()));
        assertFalse(v.anomalous());
        assertEquals(1, v.next().count());
        assertEquals(1000, v.next().lastTime());
    }

    @Test
    void followsTheDefinitionStepByStep() {
        // span 3 -> alpha 0.5 for both the error EWMA and the statistics; k = 2; warm-up 2 points.
        BaselineDetector detector = new BaselineDetector(new BaselineDetector.Settings(3, 3, 2.0, 2));
        BaselineDetector.Verdict v1 = detector.score(null, 1, 10.0);
        BaselineDetector.Verdict v2 = detector.score(v1.next(), 2, 12.0);
        // forecast 10, error 2, smoothed 0.5*2 + 0.5*0 = 1; count 2 is still warm-up.
        assertEquals(10.0, v2.forecast());
        assertEquals(2.0, v2.error());
        assertEquals(1.0, v2.smoothedError());
        assertTrue(Double.isNaN(v2.threshold()));
        // stats: diff 1, mean 0.5, variance 0.5 * (0 + 1 * 0.5) = 0.25
        assertEquals(0.5, v2.next().errorMean(), 1e-12);
        assertEquals(0.25, v2.next().errorVariance(), 1e-12);

        BaselineDetector.Verdict v3 = detector.score(v2.next(), 3, 20.0);
        // forecast 12, error 8, smoothed 0.5*8 + 0.5*1 = 4.5; threshold from the stats before: 0.5 + 2*0.5 = 1.5
        assertEquals(12.0, v3.forecast());
        assertEquals(8.0, v3.error());
        assertEquals(4.5, v3.smoothedError(), 1e-12);
        assertEquals(1.5, v3.threshold(), 1e-12);
        assertTrue(v3.anomalous());
    }

    @Test
    void aSpikeAfterWarmupIsFlaggedAndSteadyNoiseIsNot() {
        BaselineDetector detector = new BaselineDetector(BaselineDetector.Settings.DEFAULT);
        java.util.Random random = new java.util.Random(7);
        BaselineDetector.State state = null;
        int flaggedBeforeSpike = 0;
        for (int i = 0; i < 3000; i++) {
            BaselineDetector.Verdict v = detector.score(state, i, 100 + random.nextGaussian());
            flaggedBeforeSpike += v.anomalous() ? 1 : 0;
            state = v.next();
        }
        BaselineDetector.Verdict spike = detector.score(state, 3000, 160);
        assertTrue(flaggedBeforeSpike < 30, "steady noise flagged " + flaggedBeforeSpike + " times");
        assertTrue(spike.anomalous(), "spike not flagged: " + spike);
    }

    @Test
    void nothingIsFlaggedDuringWarmup() {
        BaselineDetector detector = new BaselineDetector(new BaselineDetector.Settings(105, 2100, 4.0, 250));
        BaselineDetector.State state = null;
        for (int i = 0; i < 250; i++) {
            BaselineDetector.Verdict v = detector.score(state, i, i % 50 == 49 ? 1e6 : 1.0);
            assertFalse(v.anomalous(), "flagged during warm-up at " + i);
            assertTrue(Double.isNaN(v.threshold()));
            state = v.next();
        }
    }

    @Test
    void stateSurvivesTheChannelRecord() {
        ChannelScorer.Rules rules = new ChannelScorer.Rules(ScoringSettings.DEFAULT,
                new BaselineDetector(BaselineDetector.Settings.DEFAULT), io.vigil.topology.scoring.lstm.LstmForwardPasses.best());
        ChannelScorer channel = ChannelScorer.fresh("plain");
        channel.step(1_700_000_000_000L, -3.5, ChannelCodec.NO_INPUTS, null, key -> null, rules);
        byte[] record = channel.step(1_700_000_060_000L, 0.25, ChannelCodec.NO_INPUTS, null, key -> null, rules).record();
        assertEquals(channel.baseline(), ChannelCodec.record("plain", record).baseline());
        assertEquals(2, channel.baseline().count());
    }
}
