package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import io.vigil.topology.scoring.telemanom.AnomalySequence;
import io.vigil.topology.scoring.telemanom.BatchTelemanom;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LSTM scoring through the whole topology against the same computation done directly. */
class LstmScoringTest {

    private static final LstmArchitecture SHAPE = TestModels.shape(2, 8);
    private static final double MIN = -1.5;
    private static final double MAX = 1.5;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    private ScoringFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ScoringFixture(stateDir, Map.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A minute-ish cadence with jitter, so index-to-time mistakes cannot hide behind a regular grid. */
    static long[] times(int n, long seed) {
        Random random = new Random(seed);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = T0 + 60_000L * i + random.nextInt(10_000);
        }
        return times;
    }

    /** A noisy sine with bursts of noise of {@code size} over {@code [from, from + length)} for each start. */
    static double[] series(int n, long seed, double size, int length, int... starts) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.sin(2 * Math.PI * i / 90) + 0.05 * random.nextGaussian();
            for (int from : starts) {
                if (i >= from && i < from + length) {
                    values[i] += size * random.nextGaussian();
                }
            }
        }
        return values;
    }

    private List<ChannelScore> run(String channel, byte[] parameters, ThresholdSettings settings, long[] times,
                                   double[] values) {
        fixture.publish(TestModels.champion(channel, 1, SHAPE, parameters, MIN, MAX, settings).build());
        for (int i = 0; i < values.length; i++) {
            fixture.send(channel, times[i], values[i]);
        }
        return fixture.scores().stream().filter(s -> s.getChannelId().equals(channel)).toList();
    }

    @Test
    void forecastsAndErrorsEqualAStepByStepComputation() {
        byte[] parameters = TestModels.randomParameters(SHAPE, 5);
        long[] times = times(300, 1);
        double[] values = series(300, 2, 0, 0);
        List<ChannelScore> scores = run("ch", parameters, TestModels.SMALL, times, values);
        ReferenceScoring.Run ref = ReferenceScoring.run(LstmForwardPasses.scalar(), SHAPE, parameters, MIN, MAX, values);

        assertEquals(values.length, scores.size());
        assertTrue(Double.isNaN(scores.get(0).getForecast()), "the first point has no forecast");
        assertTrue(Double.isNaN(scores.get(0).getError()));
        int warmup = TestModels.SMALL.lS();
        for (int t = 0; t < values.length; t++) {
            ChannelScore s = scores.get(t);
            assertEquals(Detector.LSTM, s.getDetector());
            assertEquals(1, s.getModelVersion());
            assertEquals(times[t], s.getEventTime().toEpochMilli());
            assertEquals(values[t], s.getValue());
            if (t > 0) {
                // The topology may run the Vector API pass: the same sums in another order.
                assertEquals(ref.forecasts()[t], s.getForecast(), 1e-5 * (MAX - MIN), "forecast " + t);
                assertEquals(ref.errors()[t], s.getError(), 1e-5, "error " + t);
            }
            assertEquals(t < warmup, Double.isNaN(s.getSmoothedError()), "thresholded from the warm-up on, " + t);
        }
        assertTrue(scores.stream().mapToDouble(ChannelScore::getError).filter(e -> e > 0.05).count() > 100,
                "a random network forecasts badly: the errors are not trivially zero");
    }

    @Test
    void theThresholdInTheTopologyDecidesWhatBatchTelemanomDecides() {
        ThresholdSettings settings = TestModels.SMALL;
        int warmup = settings.lS();
        int n = warmup + 2600;
        byte[] parameters = TestModels.persistenceParameters(SHAPE, 7, 0.01);
        long[] times = times(n, 3);
        double[] values = series(n, 4, 0.5, 25, 400, 1100, 1900, 2590);
        List<ChannelScore> scores = run("ch", parameters, settings, times, values);

        ReferenceScoring.Run ref = ReferenceScoring.run(LstmForwardPasses.best(), SHAPE, parameters, MIN, MAX, values);
        // The topology's own errors (the reference run checks them to 1e-5 above): this test pins the
        // thresholding exactly, whatever pass computed them.
        double[] errors = scores.stream().mapToDouble(ChannelScore::getError).toArray();
        BatchTelemanom.Result batch = new BatchTelemanom(settings)
                .detect(ReferenceScoring.tail(errors, warmup), ReferenceScoring.tail(ref.scaled(), warmup));
        List<AnomalySequence> sequences = batch.sequences();
        assertTrue(sequences.size() >= 3, "the shifts are found: " + sequences);

        List<AnomalyEvent> events = fixture.anomalies();
        List<Long> opened = new ArrayList<>();
        List<List<Object>> closed = new ArrayList<>();
        for (AnomalyEvent e : events) {
            assertEquals(Detector.LSTM, e.getDetector());
            assertEquals(1, e.getModelVersion());
            if (e.getStatus() == AnomalyStatus.OPEN) {
                assertNull(e.getEnd());
                opened.add(e.getStart().toEpochMilli());
            } else {
                closed.add(List.of(e.getStart().toEpochMilli(), e.getEnd().toEpochMilli(), e.getSeverity()));
            }
        }
        List<Long> expectedOpened = new ArrayList<>();
        List<List<Object>> expectedClosed = new ArrayList<>();
        for (AnomalySequence q : sequences) {
            long start = times[warmup + (int) q.start()];
            expectedOpened.add(start);
            if (q.end() < batch.decided() - 1) {
                expectedClosed.add(List.of(start, times[warmup + (int) q.end()], q.severity()));
            }
        }
        assertEquals(expectedOpened, opened);
        assertEquals(expectedClosed, closed);

        int h = settings.windowLength();
        int b = settings.batchSize();
        for (int t = warmup; t < n; t++) {
            int i = t - warmup;
            long decided = i + 1 >= h ? (long) (i + 1) / b * b - 1 : -1;
            boolean inSequence = sequences.stream().anyMatch(q -> q.start() < decided && decided <= q.end());
            ChannelScore s = scores.get(t);
            assertEquals(inSequence, s.getAnomalous(), "anomalous at point " + t);
            assertEquals(i + 1 < h, Double.isNaN(s.getThreshold()), "threshold at point " + t);
            if (i >= settings.lS()) {
                assertEquals(batch.smoothed()[i], s.getSmoothedError(), 0.0, "smoothed error at point " + t);
            }
        }
    }

    @Test
    void noAnomalyIsReportedBeforeTwiceLsValues() {
        // Telemanom's defaults: lS 250, windows of 2,100. The same shift early and late in two channels.
        ThresholdSettings settings = ThresholdSettings.DEFAULT;
        int warmup = settings.lS();
        int n = warmup + 2300;
        byte[] parameters = TestModels.persistenceParameters(SHAPE, 9, 0.01);
        long[] times = times(n, 5);
        List<ChannelScore> early = run("early", parameters, settings, times, series(n, 6, 0.5, 20, warmup + 100));
        List<ChannelScore> late = run("late", parameters, settings, times, series(n, 6, 0.5, 20, warmup + 900));

        long transientEnd = times[warmup + settings.startupIgnored()];
        assertTrue(early.stream().noneMatch(ChannelScore::getAnomalous), "the early burst is never flagged");
        List<AnomalyEvent> events = fixture.anomalies();
        assertTrue(events.stream().noneMatch(e -> e.getChannelId().equals("early")), events.toString());
        assertTrue(events.stream().allMatch(e -> e.getStart().toEpochMilli() >= transientEnd));
        // The first window decides indices 2 lS to h - 1 at once, so the late segment arrives closed.
        assertEquals(List.of(AnomalyStatus.OPEN, AnomalyStatus.CLOSED),
                events.stream().filter(e -> e.getChannelId().equals("late")).map(AnomalyEvent::getStatus).toList(),
                "the same burst later is found");
        assertEquals(late.size(), early.size());
    }

    @Test
    void channelsWithoutAModelGetTheBaselineAndNoPointIsDropped() {
        fixture.publish(TestModels.champion("modelled", 1, SHAPE, TestModels.randomParameters(SHAPE, 1), MIN, MAX,
                TestModels.SMALL).build());
        int n = 150;
        for (int i = 0; i < n; i++) {
            for (String channel : List.of("plain-1", "modelled", "plain-2")) {
                fixture.send(channel, T0 + 1000L * i, Math.cos(i / 7.0));
            }
        }
        List<ChannelScore> scores = fixture.scores();
        assertEquals(3 * n, scores.size());
        for (ChannelScore s : scores) {
            boolean modelled = s.getChannelId().equals("modelled");
            assertEquals(modelled ? Detector.LSTM : Detector.BASELINE, s.getDetector());
            assertEquals(modelled ? Integer.valueOf(1) : null, s.getModelVersion());
        }
        assertTrue(fixture.deadLetters().isEmpty());
        assertFalse(fixture.windowKeys("modelled").isEmpty());
        assertTrue(fixture.windowKeys("plain-1").isEmpty());
    }
}
