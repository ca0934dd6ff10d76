package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long-gap rule: a channel whose points stop for long restarts its LSTM state and error window. */
class LongGapTest {

    private static final LstmArchitecture SHAPE = TestModels.shape(1, 8);
    private static final long MINUTE = 60_000;

    @TempDir
    Path stateDir;

    private static void publish(ScoringFixture fixture, byte[] parameters) {
        fixture.publish(TestModels.champion("ch", 1, SHAPE, parameters, -1.5, 1.5, TestModels.SMALL).build());
    }

    @Test
    void aGapOfMoreThanTenMedianIntervalsResetsTheChannel() {
        byte[] parameters = TestModels.persistenceParameters(SHAPE, 3, 0.05);
        double[] values = LstmScoringTest.series(200, 12, 0, 0);
        long[] times = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            // A minute apart, a 9-minute gap (below 10 medians) at 60 and a 2-hour gap at 120.
            times[i] = i * MINUTE + (i >= 60 ? 8 * MINUTE : 0) + (i >= 120 ? 120 * MINUTE : 0);
        }
        try (ScoringFixture fixture = new ScoringFixture(stateDir, Map.of())) {
            publish(fixture, parameters);
            for (int i = 0; i < values.length; i++) {
                fixture.send("ch", times[i], values[i]);
                if (i == 119) {
                    assertFalse(fixture.windowKeys("ch").isEmpty());
                }
                if (i == 120) {
                    assertTrue(fixture.windowKeys("ch").isEmpty(), "the window is dropped with the state");
                }
            }
            List<ChannelScore> scores = fixture.scores();
            assertEquals(values.length, scores.size(), "a gap drops nothing");
            assertFalse(Double.isNaN(scores.get(60).getForecast()), "9 intervals is no gap");
            assertTrue(Double.isNaN(scores.get(120).getForecast()), "the state after a long gap starts from zero");
            assertEquals(1, scores.get(120).getModelVersion());
            assertEquals(1.0, fixture.count("vigil.scoring.state.resets", "reason", "gap"));
            assertEquals(values.length - 120, fixture.channel("ch").lstmSteps());

            double[] after = Arrays.copyOfRange(values, 120, values.length);
            ReferenceScoring.Run ref = ReferenceScoring.run(LstmForwardPasses.scalar(), SHAPE, parameters, -1.5, 1.5, after);
            for (int k = 1; k < after.length; k++) {
                assertEquals(ref.forecasts()[k], scores.get(120 + k).getForecast(), 3e-5, "forecast " + (120 + k));
            }
        }
    }

    @Test
    void anAbsoluteLimitAppliesFromTheFirstInterval(@TempDir Path dir) {
        try (ScoringFixture fixture = new ScoringFixture(dir, Map.of("scoring.max.gap.ms", "1000"))) {
            publish(fixture, TestModels.persistenceParameters(SHAPE, 4, 0.05));
            long[] times = {0, 500, 1000, 2500, 3000};
            for (long t : times) {
                fixture.send("ch", t, 0.3);
            }
            List<ChannelScore> scores = fixture.scores();
            assertEquals(List.of(true, false, false, true, false),
                    scores.stream().map(s -> Double.isNaN(s.getForecast())).toList());
            assertEquals(1.0, fixture.count("vigil.scoring.state.resets", "reason", "gap"));
        }
    }

    @Test
    void aBaselineChannelKeepsItsStatisticsAcrossAGap(@TempDir Path dir) {
        try (ScoringFixture fixture = new ScoringFixture(dir, Map.of("scoring.max.gap.ms", "1000"))) {
            fixture.send("plain", 0, 1.0);
            fixture.send("plain", 500, 2.0);
            fixture.send("plain", 5000, 4.0);
            ChannelScore afterGap = fixture.scores().get(2);
            assertEquals(2.0, afterGap.getForecast(), "a last-value forecast needs no history to reset");
            assertEquals(3, fixture.channel("plain").baseline().count());
            assertEquals(0.0, fixture.count("vigil.scoring.state.resets", "reason", "gap"));
        }
    }
}
