package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.Detector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anomaly segments of channels without a model: runs of at least two anomalous baseline verdicts. */
class BaselineSegmentsTest {

    @TempDir
    Path stateDir;

    /** Noise around 50 with a shift of +10 over [400, 430) and one lone spike at 700. */
    private static double[] series() {
        Random random = new Random(21);
        double[] values = new double[900];
        for (int i = 0; i < values.length; i++) {
            values[i] = 50 + 0.1 * random.nextGaussian() + (i >= 400 && i < 430 ? 10 : 0) + (i == 700 ? 0.6 : 0);
        }
        return values;
    }

    /** The events the documented rule gives for the detector's own verdicts, as [status, start, end, severity]. */
    private static List<List<Object>> expected(double[] values, BaselineDetector detector) {
        List<List<Object>> events = new ArrayList<>();
        BaselineDetector.State state = null;
        int runStart = -1;
        int runEnd = -1;
        double severity = 0;
        for (int i = 0; i < values.length; i++) {
            BaselineDetector.Verdict v = detector.score(state, i * 1000L, values[i]);
            if (v.anomalous()) {
                double scale = state.errorMean() + Math.sqrt(state.errorVariance());
                double s = (v.smoothedError() - v.threshold()) / scale;
                severity = runStart < 0 ? s : Math.max(severity, s);
                runStart = runStart < 0 ? i : runStart;
                runEnd = i;
                if (runEnd == runStart + 1) {
                    events.add(List.of(AnomalyStatus.OPEN, runStart * 1000L, -1L, severity));
                }
            } else if (runStart >= 0) {
                if (runEnd > runStart) {
                    events.add(List.of(AnomalyStatus.CLOSED, runStart * 1000L, runEnd * 1000L, severity));
                }
                runStart = -1;
            }
            state = v.next();
        }
        return events;
    }

    private static List<List<Object>> actual(List<AnomalyEvent> events) {
        List<List<Object>> out = new ArrayList<>();
        for (AnomalyEvent e : events) {
            assertEquals(Detector.BASELINE, e.getDetector());
            assertNull(e.getModelVersion());
            out.add(List.of(e.getStatus(), e.getStart().toEpochMilli(),
                    e.getEnd() == null ? -1L : e.getEnd().toEpochMilli(), e.getSeverity()));
        }
        return out;
    }

    @Test
    void aRunOfAnomalousPointsOpensAtItsSecondPointAndClosesAtTheFirstNominalOne() {
        double[] values = series();
        try (ScoringFixture fixture = new ScoringFixture(stateDir, Map.of())) {
            for (int i = 0; i < values.length; i++) {
                fixture.send("plain", i * 1000L, values[i]);
            }
            List<List<Object>> expected = expected(values,
                    new BaselineDetector(BaselineDetector.Settings.DEFAULT));
            assertEquals(expected, actual(fixture.anomalies()));
            assertTrue(expected.size() >= 2 && expected.size() % 2 == 0, expected.toString());
            assertEquals(400_000L, expected.get(0).get(1), "the shift starts the first segment");
        }
    }

    @Test
    void aLongGapClosesAnOpenSegment(@TempDir Path dir) {
        double[] values = series();
        try (ScoringFixture fixture = new ScoringFixture(dir, Map.of(
                "scoring.max.gap.ms", "60000"))) {
            for (int i = 0; i < 405; i++) {
                fixture.send("plain", i * 1000L, values[i]);
            }
            assertTrue(fixture.channel("plain").segmentOpen());
            fixture.send("plain", 3_600_000L, 50);
            List<AnomalyEvent> events = fixture.anomalies();
            AnomalyEvent closed = events.get(events.size() - 1);
            assertEquals(AnomalyStatus.CLOSED, closed.getStatus());
            assertEquals(400_000L, closed.getStart().toEpochMilli());
            assertEquals(404_000L, closed.getEnd().toEpochMilli(), "it ends at the last point before the gap");
        }
    }
}
