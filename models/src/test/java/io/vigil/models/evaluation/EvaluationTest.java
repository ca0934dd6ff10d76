package io.vigil.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.models.data.ChannelData;
import io.vigil.models.data.LabelRange;
import io.vigil.topology.scoring.TestModels;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation harness end to end on a synthetic channel: a noisy sine whose test part carries one
 * labeled burst. Every detector runs through its real code (the topology in a TopologyTestDriver, RCF),
 * and what the report says is checked against the detections it came from.
 */
class EvaluationTest {

    private static final LstmArchitecture SHAPE = TestModels.shape(2, 8);
    private static final int TRAIN = 600;
    private static final int TEST = 3000;
    private static final int BURST = 2000;

    /** Minute-spaced, one recording split into train and test (as NAB is), a burst of +8 at 2000..2019. */
    static ChannelData channel(String id) {
        SplittableRandom random = new SplittableRandom(7);
        long start = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
        double[] train = new double[TRAIN];
        double[] test = new double[TEST];
        long[] trainTimes = new long[TRAIN];
        long[] testTimes = new long[TEST];
        for (int i = 0; i < TRAIN + TEST; i++) {
            double v = 10 + Math.sin(i / 20.0) + 0.05 * random.nextGaussian();
            if (i - TRAIN >= BURST && i - TRAIN < BURST + 20) {
                v += 8;
            }
            if (i < TRAIN) {
                train[i] = v;
                trainTimes[i] = start + i * 60_000L;
            } else {
                test[i - TRAIN] = v;
                testTimes[i - TRAIN] = start + i * 60_000L;
            }
        }
        return new ChannelData(id, "synthetic", train, test, trainTimes, testTimes,
                List.of(new LabelRange(BURST - 10, BURST + 40, "burst")), List.of());
    }

    static ModelRelease model(String id, byte[] parameters) {
        return TestModels.champion(id, 0, SHAPE, parameters, 8, 12, ThresholdSettings.DEFAULT).setAlias(null).build();
    }

    @Test
    void everyDetectorFindsTheBurstAndTheReportSaysWhatTheDetectionsSay(@TempDir Path dir) throws Exception {
        ChannelData c = channel("sine-1");
        ModelRelease model = model("sine-1", TestModels.persistenceParameters(SHAPE, 3, 0.01));
        List<String> progress = new ArrayList<>();
        Evaluation.Result result = Evaluation.run(List.of(c), Map.of("sine-1", model),
                Detectors.named(List.of("lstm", "lstm-half", "baseline", "rcf"), 42), 2, progress::add);

        Evaluation.ChannelResult r = result.channels().get(0);
        assertEquals(List.of("lstm", "lstm-half", "baseline", "rcf"), List.copyOf(r.detections().keySet()));
        assertEquals("LSTM v1", r.detections().get("lstm").model(), "the candidate was released as version 1 and applied");
        assertEquals("BASELINE", r.detections().get("baseline").model());
        for (String d : result.detectors()) {
            Detection detection = r.detections().get(d);
            Counts counts = r.counts().get(d);
            assertEquals(1, counts.truePositives(), d + " finds the burst: " + detection.segments());
            long outsideTheLabel = detection.segments().stream().filter(s -> s.last() < BURST - 10 || s.first() > BURST + 40).count();
            assertEquals(outsideTheLabel, counts.falsePositives(), d + ": every segment away from the burst is a false alarm");
            assertEquals(counts, result.fleet().get(d), "one channel: the fleet is that channel");
        }
        // The topology scored every point: the warm-up's and the test series' (else the detector throws).
        assertEquals(TRAIN, r.stream().testOffset());
        double[] forecast = r.detections().get("lstm").forecast();
        assertTrue(java.util.Arrays.stream(forecast).allMatch(Double::isFinite), "a forecast for every test point");
        // The persistence network forecasts about the previous value: at the burst's first point the
        // forecast is the nominal level before it, and a point later it has jumped too. An index shifted
        // by one in mapping scores back to the test series would swap the two.
        assertEquals(c.test()[BURST - 1], forecast[BURST], 1.0);
        assertTrue(c.test()[BURST] - forecast[BURST] > 5, "the jump is not forecast");
        assertTrue(forecast[BURST + 1] - forecast[BURST] > 5, "a point later the forecast has followed the jump");
        assertEquals(1, progress.size());

        Path report = EvaluationReport.write(dir, result, "synthetic");
        String md = Files.readString(report);
        assertTrue(md.contains("| lstm | 1 | 1 | 1 | 0 | " + result.fleet().get("lstm").falsePositives() + " |"), md);
        assertTrue(md.contains("![sine-1](plots/sine-1.svg)"), md);
        // The lossy 16-bit path is reported next to the exact one, with how far its forecasts stray.
        double[] half = r.detections().get("lstm-half").forecast();
        double worst = 0;
        for (int i = 0; i < TEST; i++) {
            worst = Math.max(worst, Math.abs(half[i] - forecast[i]));
        }
        assertTrue(worst > 0 && worst < 0.05, "16-bit forecasts differ, slightly: " + worst);
        assertTrue(md.contains("16-bit weights (`lstm-half`) vs float32 (`lstm`)"), md);
        String svg = Files.readString(dir.resolve("plots/sine-1.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("<polyline"), svg.substring(0, 200));
        assertEquals(1L, jsonNumber(dir.resolve("evaluation.json"), "truePositives"));
    }

    @Test
    void aChannelWithoutAModelIsLeftOutOfTheFleetComparisonAndSaidSo() {
        ChannelData withModel = channel("a");
        ChannelData without = channel("b");
        Evaluation.Result result = Evaluation.run(List.of(withModel, without),
                Map.of("a", model("a", TestModels.persistenceParameters(SHAPE, 3, 0.01))),
                Detectors.named(List.of("lstm", "baseline"), 42), 1, line -> { });
        assertEquals(List.of("b: lstm (no trained model)"), result.skipped());
        assertEquals(1, result.fleet().get("baseline").truePositives() + result.fleet().get("baseline").falseNegatives(),
                "only channel a's event is in the fleet sums");
        assertFalse(result.channels().get(1).detections().containsKey("lstm"));
        assertTrue(result.channels().get(1).detections().containsKey("baseline"));
    }

    @Test
    void aModelTheScorerRefusesFailsTheRunInsteadOfScoringWithTheBaseline() {
        ModelRelease good = model("sine-1", TestModels.persistenceParameters(SHAPE, 3, 0.01));
        ModelRelease corrupt = ModelRelease.newBuilder(good).setChecksum("0".repeat(64)).build();
        Detector lstm = Detectors.named(List.of("lstm"), 42).get(0);
        ChannelData c = channel("sine-1");
        var e = assertThrows(IllegalStateException.class, () -> lstm.detect(c, ReplayStream.of(c), corrupt));
        assertTrue(e.getMessage().contains("the model was not applied"), e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> lstm.detect(c, ReplayStream.of(c), null));
        assertTrue(none.getMessage().contains("needs a trained model"), none.getMessage());
    }

    @Test
    void anomalyEventsBecomeTestIndicesClippedToTheTestSeries() {
        long[] times = new long[10];
        for (int i = 0; i < 10; i++) {
            times[i] = 1000L * i;
        }
        ReplayStream stream = new ReplayStream(times, new double[10], 4);
        List<AnomalyEvent> events = List.of(
                event(1000, null, AnomalyStatus.OPEN), event(1000, 5000L, AnomalyStatus.CLOSED), // 1..5 -> test 0..1
                event(7000, null, AnomalyStatus.OPEN));                                          // open at the end: 7..9
        assertEquals(List.of(new Segment(0, 1), new Segment(3, 5)), TopologyDetector.segments(events, stream));
        assertEquals(List.of(), TopologyDetector.segments(List.of(event(0, 2000L, AnomalyStatus.CLOSED)), stream),
                "a segment over before the test series is not the test's");
        assertEquals(List.of(new Segment(1, 2)), TopologyDetector.segments(List.of(event(5000, 6500L, AnomalyStatus.CLOSED)),
                stream), "times between points fall to the point at or before them");
    }

    @Test
    void rcfFlagsCloserThanAShingleAreOneSegment() {
        boolean[] flags = new boolean[40];
        flags[3] = true;
        flags[10] = true;  // 6 points between: joined with 3 when join = 8
        flags[30] = true;  // alone
        assertEquals(List.of(new Segment(3, 10), new Segment(30, 30)), RcfDetector.segments(flags, 8));
        assertEquals(List.of(new Segment(3, 10), new Segment(30, 30)), RcfDetector.segments(flags, 7), "7 apart: joined");
        assertEquals(List.of(new Segment(3, 3), new Segment(10, 10), new Segment(30, 30)), RcfDetector.segments(flags, 6));
    }

    private static AnomalyEvent event(long start, Long end, AnomalyStatus status) {
        return AnomalyEvent.newBuilder().setChannelId("x").setStart(Instant.ofEpochMilli(start))
                .setEnd(end == null ? null : Instant.ofEpochMilli(end)).setStatus(status).setSeverity(1)
                .setDetector(io.vigil.avro.Detector.LSTM).setModelVersion(1).build();
    }

    /** The first number field called {@code name} in the JSON file. */
    private static long jsonNumber(Path file, String name) throws Exception {
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals(name)) {
                    p.nextToken();
                    return p.getLongValue();
                }
            }
        }
        throw new AssertionError(name + " not in " + file);
    }
}
