package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.intake.InputBounds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single accepted inputs that used to switch a channel's detection off for good, or loop its task:
 * each is now one dead letter with its own reason, and the channel goes on scoring exactly as if the
 * input had never arrived (scores compared bit for bit with a run without it).
 */
class PoisonPointTest {

    private static final long NOW = System.currentTimeMillis();
    private static final byte[] KEY = "ch".getBytes(StandardCharsets.UTF_8);
    private static final LstmArchitecture SHAPE = TestModels.shape(2, 8);

    @TempDir
    Path dir;

    @Test
    void aPointDatedFarAheadIsTimeAheadAndLaterPointsAreStillScored() {
        assertPoisonIsHarmless("ahead", f -> f.send("ch", NOW + 86_400_000L * 365 * 50, 1.0),
                DeadLetterReason.TIME_AHEAD, Map.of());
    }

    @Test
    void aPointAtTheEndOfTheLongRangeIsTimeAhead() {
        assertPoisonIsHarmless("max", f -> f.send("ch", Long.MAX_VALUE, 1.0), DeadLetterReason.TIME_AHEAD,
                Map.of("time.max.ahead.ms", "0"));
    }

    @Test
    void aPointBeforeTheEpochIsTimeTooOld() {
        assertPoisonIsHarmless("min", f -> f.send(KEY, point("ch", Long.MIN_VALUE, 1.0)), DeadLetterReason.TIME_TOO_OLD, Map.of());
    }

    @Test
    void aPointOlderThanTheConfiguredHorizonIsTimeTooOld() {
        assertPoisonIsHarmless("old", f -> f.send("ch", NOW - 10 * 86_400_000L, 1.0), DeadLetterReason.TIME_TOO_OLD,
                Map.of("time.max.age.ms", Long.toString(86_400_000L)));
    }

    @Test
    void anInputFeatureThatIsNotANumberIsAnInvalidValue() {
        assertPoisonIsHarmless("nan-input", f -> f.send("ch".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                withInputs(point("ch", NOW - 500, 1.0), List.of(0.0, Double.NaN))), DeadLetterReason.INVALID_VALUE, Map.of());
    }

    @Test
    void morePointInputsThanTheBoundAreAnInvalidValue() {
        List<Double> many = java.util.Collections.nCopies(io.vigil.topology.intake.InputBounds.MAX_INPUTS + 1, 0.0);
        assertPoisonIsHarmless("many-inputs", f -> f.send("ch".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                withInputs(point("ch", NOW - 500, 1.0), many)), DeadLetterReason.INVALID_VALUE, Map.of());
    }

    @Test
    void aValueWhoseSquareWouldOverflowIsOutOfRangeAndTheBaselineStaysFinite() {
        assertPoisonIsHarmless("huge", f -> f.send("ch", NOW - 500, 1e300), DeadLetterReason.VALUE_OUT_OF_RANGE, Map.of());
    }

    @Test
    void anEmptyKeyIsAnInvalidKey() {
        assertPoisonIsHarmless("empty-key", f -> f.send(new byte[0], point("", NOW - 500, 1.0)),
                DeadLetterReason.INVALID_KEY, Map.of());
    }

    @Test
    void aKeyLongerThanTheLimitIsAnInvalidKey() {
        String id = "x".repeat(600);
        assertPoisonIsHarmless("long-key", f -> f.send(id.getBytes(StandardCharsets.UTF_8), point(id, NOW - 500, 1.0)),
                DeadLetterReason.INVALID_KEY, Map.of());
    }

    @Test
    void aKeyThatIsNotUtf8IsAnInvalidKey() {
        assertPoisonIsHarmless("bad-utf8", f -> f.send(new byte[] {(byte) 0xC3, (byte) 0x28},
                point("\uFFFD(", NOW - 500, 1.0)), DeadLetterReason.INVALID_KEY, Map.of());
    }

    @Test
    void aValueTheModelCannotScaleToAFloatIsOutOfRangeAndTheLstmStateIsUntouched() {
        assertPoisonIsHarmless("lstm-huge", f -> f.send("ch", NOW - 500, 1e100), DeadLetterReason.VALUE_OUT_OF_RANGE,
                Map.of(), true);
    }

    @Test
    void corruptStoredStateIsAProcessingErrorOfThatChannelOnly() {
        try (ScoringFixture f = new ScoringFixture(dir.resolve("corrupt"), Map.of())) {
            f.send("ch", NOW - 1_000, 1.0);
            f.send("other", NOW - 1_000, 1.0);
            f.<byte[]>store(VigilTopology.CHANNEL_STATE_STORE).put("ch", new byte[] {9, 9, 9});
            f.send("ch", NOW - 900, 2.0);
            f.send("other", NOW - 900, 2.0);

            List<DeadLetter> letters = f.deadLetters();
            assertEquals(1, letters.size());
            assertEquals(DeadLetterReason.PROCESSING_ERROR, letters.get(0).getReason());
            assertTrue(letters.get(0).getDetail().startsWith(IllegalArgumentException.class.getName()),
                    letters.get(0).getDetail());
            assertEquals(3, f.scores().size(), "the other channel and the first point were scored");
            assertEquals(1.0, f.count("vigil.dead.letters", "reason", "processing_error"));
        }
    }

    @Test
    void theBaselineStaysFiniteUnderTheLargestAcceptedValues() {
        try (ScoringFixture f = new ScoringFixture(dir.resolve("extremes"), Map.of("baseline.warmup", "5"))) {
            double[] extremes = {InputBounds.MAX_MAGNITUDE, -InputBounds.MAX_MAGNITUDE, Double.MIN_VALUE, -0.0,
                    -Double.MIN_NORMAL, 0.0, InputBounds.MAX_MAGNITUDE};
            for (int i = 0; i < 2_000; i++) {
                f.send("ch", NOW - 100_000 + i, extremes[i % extremes.length]);
            }
            List<ChannelScore> scores = f.scores();
            assertEquals(2_000, scores.size());
            for (ChannelScore s : scores.subList(10, scores.size())) {
                assertTrue(Double.isFinite(s.getThreshold()) && Double.isFinite(s.getSmoothedError()), s.toString());
            }
            BaselineDetector.State state = f.channel("ch").baseline();
            assertTrue(Double.isFinite(state.errorMean()) && Double.isFinite(state.errorVariance()), state.toString());
        }
    }

    private void assertPoisonIsHarmless(String name, Consumer<ScoringFixture> poison, DeadLetterReason reason,
                                        Map<String, String> settings) {
        assertPoisonIsHarmless(name, poison, reason, settings, false);
    }

    /**
     * Runs 300 ordinary points of "ch" twice, once with the poison after point 150: the poisoned run has
     * exactly one more outcome, a dead letter with {@code reason}, and the same scores to the bit.
     */
    private void assertPoisonIsHarmless(String name, Consumer<ScoringFixture> poison, DeadLetterReason reason,
                                        Map<String, String> settings, boolean withModel) {
        List<ChannelScore> clean = run(dir.resolve(name + "-clean"), null, settings, withModel);
        List<ChannelScore> poisoned;
        List<DeadLetter> letters = new ArrayList<>();
        poisoned = run(dir.resolve(name + "-poisoned"), f -> {
            poison.accept(f);
            letters.addAll(f.deadLetters());
        }, settings, withModel);
        assertEquals(1, letters.size(), "exactly one dead letter");
        assertEquals(reason, letters.get(0).getReason(), letters.get(0).getDetail());
        assertEquals(Topics.TELEMETRY.name(), letters.get(0).getOriginTopic());
        assertEquals(clean.size(), poisoned.size(), "every ordinary point is scored");
        for (int i = 0; i < clean.size(); i++) {
            assertSameBits(clean.get(i), poisoned.get(i));
        }
    }

    private List<ChannelScore> run(Path stateDir, Consumer<ScoringFixture> poisonAtHalf, Map<String, String> settings,
                                   boolean withModel) {
        try (ScoringFixture f = new ScoringFixture(stateDir, settings)) {
            if (withModel) {
                f.publish(TestModels.champion("ch", 1, SHAPE, TestModels.persistenceParameters(SHAPE, 3, 0.05),
                        -1.5, 1.5, TestModels.SMALL).build());
            }
            double[] values = LstmScoringTest.series(300, 4, 0, 0);
            long start = NOW - 300_000;
            for (int i = 0; i < values.length; i++) {
                if (i == values.length / 2 && poisonAtHalf != null) {
                    poisonAtHalf.accept(f);
                }
                f.send("ch", start + 1_000L * i, values[i]);
            }
            if (poisonAtHalf == null) {
                assertTrue(f.deadLetters().isEmpty(), "the clean run has no dead letter");
            }
            return new ArrayList<>(f.scores());
        }
    }

    private static TelemetryPoint point(String channel, long time, double value) {
        return TelemetryPoint.newBuilder().setChannelId(channel).setSource("test")
                .setEventTime(Instant.ofEpochMilli(time)).setValue(value).build();
    }

    private static TelemetryPoint withInputs(TelemetryPoint point, List<Double> inputs) {
        return TelemetryPoint.newBuilder(point).setInputs(inputs).build();
    }

    static void assertSameBits(ChannelScore expected, ChannelScore actual) {
        assertEquals(expected.getEventTime(), actual.getEventTime());
        assertEquals(Double.doubleToRawLongBits(expected.getForecast()), Double.doubleToRawLongBits(actual.getForecast()));
        assertEquals(Double.doubleToRawLongBits(expected.getError()), Double.doubleToRawLongBits(actual.getError()));
        assertEquals(Double.doubleToRawLongBits(expected.getSmoothedError()),
                Double.doubleToRawLongBits(actual.getSmoothedError()));
        assertEquals(Double.doubleToRawLongBits(expected.getThreshold()), Double.doubleToRawLongBits(actual.getThreshold()));
        assertEquals(expected.getAnomalous(), actual.getAnomalous());
        assertEquals(expected.getDetector(), actual.getDetector());
        assertEquals(expected.getModelVersion(), actual.getModelVersion());
    }
}
