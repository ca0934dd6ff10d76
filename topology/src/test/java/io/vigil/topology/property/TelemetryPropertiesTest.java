package io.vigil.topology.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.topology.property.Harness.Escape;
import io.vigil.topology.property.Specs.Encoded;
import io.vigil.topology.property.Specs.TelemetrySpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;

/**
 * Telemetry through the real topology: every input is exactly one score or one dead letter, and bad
 * inputs change nothing for a healthy channel beside them (with one partition in the driver, every
 * channel shares the healthy channel's partition and task).
 */
class TelemetryPropertiesTest {

    static final Map<String, String> SETTINGS = Map.of("baseline.warmup", "10");

    @Provide
    Arbitrary<List<TelemetrySpec>> telemetryInputs() {
        return Generators.telemetry().list().ofMinSize(1).ofMaxSize(60)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    /**
     * Property 1 (and 2 for telemetry): the dead letters of the telemetry topic, by origin offset, and
     * the scores, by (channel, event time), account for every input exactly once; no exception
     * reaches the driver.
     */
    @Property(tries = 200)
    void everyTelemetryInputIsExactlyOneScoreOrOneDeadLetter(@ForAll("telemetryInputs") List<TelemetrySpec> inputs) {
        try (Harness h = new Harness(SETTINGS)) {
            List<Escape> escaped = new ArrayList<>();
            Map<Long, TelemetryPoint> decoded = new HashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                Encoded e = Specs.encode(h, inputs.get(i), i);
                long offset = h.pipeTelemetry(e.key(), e.value(), e.timestamp(), escaped);
                decoded.put(offset, decode(h, e.value()));
                if (!escaped.isEmpty()) {
                    // The deployed thread dies here and retries this record; what the driver does next proves nothing.
                    Escape x = escaped.get(0);
                    assertTrue(false, () -> report(List.of("input " + x.offset() + " " + inputs.get((int) x.offset())
                            + ": exception reached the driver, so the input has no outcome: "
                            + Harness.describe(x.error())), inputs.subList(0, (int) x.offset() + 1)));
                }
            }
            List<String> problems = new ArrayList<>();

            Map<Long, Integer> lettersPerOffset = new HashMap<>();
            for (DeadLetter letter : h.deadLettersOf(Topics.TELEMETRY.name())) {
                lettersPerOffset.merge(letter.getOriginOffset(), 1, Integer::sum);
            }
            lettersPerOffset.forEach((offset, n) -> {
                if (offset < 0 || offset >= inputs.size()) {
                    problems.add("dead letter for offset " + offset + ", which was never sent");
                } else if (n > 1) {
                    problems.add("input " + offset + " " + inputs.get(offset.intValue()) + ": " + n + " dead letters");
                }
            });
            // The inputs that were not dead-lettered, by what they decode to: each must have its score.
            Map<String, Deque<Long>> awaitingScore = new HashMap<>();
            for (long offset = 0; offset < inputs.size(); offset++) {
                if (lettersPerOffset.containsKey(offset)) {
                    continue;
                }
                TelemetryPoint point = decoded.get(offset);
                if (point == null) {
                    problems.add("input " + offset + " " + inputs.get((int) offset)
                            + ": undecodable, yet no dead letter");
                    continue;
                }
                awaitingScore.computeIfAbsent(scoreKey(point.getChannelId(), point.getEventTime()),
                        k -> new ArrayDeque<>()).add(offset);
            }
            for (ChannelScore score : h.scores()) {
                Deque<Long> candidates = awaitingScore.get(scoreKey(score.getChannelId(), score.getEventTime()));
                if (candidates == null || candidates.isEmpty()) {
                    problems.add("score of '" + Specs.shorten(score.getChannelId()) + "' at "
                            + score.getEventTime().toEpochMilli() + " matches no input without a dead letter"
                            + " (a second outcome?)");
                } else {
                    candidates.poll();
                }
            }
            awaitingScore.values().forEach(left -> left.forEach(offset -> problems.add("input " + offset + " "
                    + inputs.get(offset.intValue()) + ": neither a score nor a dead letter")));
            h.deadLettersOf(Topics.TELEMETRY.name()).forEach(d -> Statistics.label("outcome").collect(d.getReason().name()));
            collectProcessingErrors(h);
            h.scores().forEach(s -> Statistics.label("outcome").collect(Double.isFinite(s.getSmoothedError())
                    && Double.isFinite(s.getForecast()) ? "SCORE" : "SCORE with a non-finite forecast/smoothed error"));
            assertTrue(problems.isEmpty(), () -> report(problems, inputs));
        }
    }

    // ------------------------------------------------------------------ isolation

    /** The healthy channel: ordinary values a second apart, ending ten minutes before the wall clock, one spike. */
    static final int HEALTHY_POINTS = 30;

    static long healthyTime(int k) {
        return Harness.WALL_CLOCK_START - 600_000L + 1000L * k;
    }

    static double healthyValue(int k) {
        return 20 + 5 * Math.sin(k / 3.0) + (k == 24 ? 60 : 0);
    }

    /** Where each healthy point goes among the noise: before noise input {@code slot}. */
    @Provide
    Arbitrary<List<Integer>> healthySlots() {
        return Arbitraries.integers().between(0, 60).list().ofSize(HEALTHY_POINTS).map(l -> l.stream().sorted().toList());
    }

    private static List<String> reference;

    /** The healthy channel's outputs when it is alone on the topology. */
    private static synchronized List<String> reference() {
        if (reference == null) {
            try (Harness h = new Harness(SETTINGS)) {
                List<Escape> escaped = new ArrayList<>();
                for (int k = 0; k < HEALTHY_POINTS; k++) {
                    sendHealthy(h, k, escaped);
                }
                assertTrue(escaped.isEmpty(), () -> "the healthy channel alone: " + escaped);
                reference = healthyOutputs(h);
                assertEquals(HEALTHY_POINTS, reference.stream().filter(o -> o.startsWith("score")).count(),
                        () -> "one score per point: " + reference);
            }
        }
        return reference;
    }

    private static void sendHealthy(Harness h, int k, List<Escape> escaped) {
        TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(Generators.HEALTHY).setSource("property")
                .setEventTime(Instant.ofEpochMilli(healthyTime(k))).setValue(healthyValue(k)).build();
        h.pipeTelemetry(Specs.utf8(Generators.HEALTHY), h.pointSerializer.serialize(Topics.TELEMETRY.name(), point),
                healthyTime(k), escaped);
    }

    /** The healthy channel's scores and anomaly events, every field but the wall-clock scoredAt, doubles as raw bits. */
    private static List<String> healthyOutputs(Harness h) {
        List<String> out = new ArrayList<>();
        for (ChannelScore s : h.scores()) {
            if (s.getChannelId().equals(Generators.HEALTHY)) {
                out.add("score t=" + s.getEventTime().toEpochMilli() + " value=" + bits(s.getValue()) + " forecast="
                        + bits(s.getForecast()) + " error=" + bits(s.getError()) + " smoothed="
                        + bits(s.getSmoothedError()) + " threshold=" + bits(s.getThreshold()) + " anomalous="
                        + s.getAnomalous() + " detector=" + s.getDetector() + " version=" + s.getModelVersion());
            }
        }
        for (AnomalyEvent e : h.anomalies()) {
            if (e.getChannelId().equals(Generators.HEALTHY)) {
                out.add("event " + e.getStatus() + " start=" + e.getStart() + " end=" + e.getEnd() + " severity="
                        + bits(e.getSeverity()) + " detector=" + e.getDetector());
            }
        }
        return out;
    }

    private static String bits(double v) {
        return v + "/" + Long.toHexString(Double.doubleToRawLongBits(v));
    }

    /**
     * Property 3: a healthy channel interleaved with random inputs on other channels gets exactly the
     * scores (and anomaly events) it gets alone. An exception that reaches the driver stops the feed
     * there: in the deployed scorer the thread dies, is replaced and retries the same record from the
     * last commit, so nothing behind it on the partition is ever scored.
     */
    @Property(tries = 80)
    void aHealthyChannelGetsTheSameScoresWithOrWithoutBadInputsBesideIt(
            @ForAll("telemetryInputs") List<TelemetrySpec> noise, @ForAll("healthySlots") List<Integer> slots) {
        List<String> alone = reference();
        try (Harness h = new Harness(SETTINGS)) {
            List<Escape> escaped = new ArrayList<>();
            List<String> fed = new ArrayList<>();
            int next = 0;
            feed:
            for (int i = 0; i <= noise.size(); i++) {
                while (next < HEALTHY_POINTS && (slots.get(next) <= i || i == noise.size())) {
                    sendHealthy(h, next++, escaped);
                    if (!escaped.isEmpty()) {
                        break feed;
                    }
                }
                if (i == noise.size()) {
                    break;
                }
                Encoded e = Specs.encode(h, noise.get(i), i);
                TelemetryPoint point = decode(h, e.value());
                if (point != null && point.getChannelId().equals(Generators.HEALTHY)) {
                    continue; // a mutation that happened to produce the healthy channel's id: not noise
                }
                fed.add(noise.get(i).toString());
                h.pipeTelemetry(e.key(), e.value(), e.timestamp(), escaped);
                if (!escaped.isEmpty()) {
                    break;
                }
            }
            List<String> beside = healthyOutputs(h);
            int fedHealthy = next;
            assertTrue(alone.equals(beside), () -> {
                StringBuilder m = new StringBuilder("the healthy channel's outputs differ with noise beside it\n");
                if (!escaped.isEmpty()) {
                    m.append("the feed stopped at an exception (the partition stalls; ").append(fedHealthy)
                            .append(" of ").append(HEALTHY_POINTS).append(" healthy points were sent): ")
                            .append(escaped.get(0)).append("\n");
                }
                int at = 0;
                while (at < Math.min(alone.size(), beside.size()) && alone.get(at).equals(beside.get(at))) {
                    at++;
                }
                m.append("first difference at output ").append(at).append(":\n  alone:  ")
                        .append(at < alone.size() ? alone.get(at) : "(none)").append("\n  beside: ")
                        .append(at < beside.size() ? beside.get(at) : "(none)").append("\n")
                        .append(alone.size()).append(" outputs alone, ").append(beside.size()).append(" beside noise\n")
                        .append("noise fed (in order): ").append(fed);
                return m.toString();
            });
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A PROCESSING_ERROR dead letter is an exception the processors caught: allowed by the invariants
     * (the input has its one outcome), but each is a defect to look at, so its detail is collected.
     */
    static void collectProcessingErrors(Harness h) {
        h.deadLetters().stream().filter(d -> d.getReason().name().equals("PROCESSING_ERROR"))
                .forEach(d -> Statistics.label("PROCESSING_ERROR detail").collect(d.getOriginTopic() + ": "
                        + (d.getDetail().length() > 160 ? d.getDetail().substring(0, 160) : d.getDetail())));
    }

    static TelemetryPoint decode(Harness h, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return h.pointDeserializer.deserialize(Topics.TELEMETRY.name(), value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String scoreKey(String channel, Instant time) {
        return time.toEpochMilli() + "|" + channel;
    }

    static String report(List<String> problems, List<?> inputs) {
        StringBuilder m = new StringBuilder(problems.size() + " problem(s):\n");
        problems.stream().limit(12).forEach(p -> m.append("  ").append(p).append('\n'));
        if (problems.size() > 12) {
            m.append("  ...\n");
        }
        m.append("inputs (").append(inputs.size()).append("):\n");
        for (int i = 0; i < inputs.size(); i++) {
            m.append("  ").append(i).append(": ").append(inputs.get(i)).append('\n');
        }
        return m.toString();
    }
}
