package io.vigil.topology.property;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.Detector;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.topology.property.Harness.Escape;
import io.vigil.topology.property.Specs.Encoded;
import io.vigil.topology.property.Specs.ReleaseSpec;
import io.vigil.topology.release.ModelDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;

/**
 * Models through the real topology: every record of the models topic is applied (the store then holds
 * its version and checksum), retires the model (a keyed tombstone), or is one dead letter, never both;
 * and whatever the champion is, each of the channel's points after it is still exactly one score or
 * one dead letter, with no exception reaching the driver.
 */
class ModelPropertiesTest {

    static final Map<String, String> SETTINGS = Map.of("baseline.warmup", "5");

    /** A models record, then some points of its channel. */
    record ModelStep(ReleaseSpec release, List<Double> values) {
        @Override
        public String toString() {
            return release + " then points " + values.stream().map(Specs::describe).toList();
        }
    }

    @Provide
    Arbitrary<List<ModelStep>> modelSteps() {
        Arbitrary<String> channels = Arbitraries.of("m", "m", "n");
        Arbitrary<List<Double>> values = Generators.values().list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(Generators.releases(channels), values).as(ModelStep::new)
                .list().ofMinSize(1).ofMaxSize(10)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    /** Property 4: each models record applied or dead-lettered, and the channel's points still scored after it. */
    @Property(tries = 120)
    void everyModelsRecordIsAppliedOrDeadLetteredAndTheScorerKeepsScoring(
            @ForAll("modelSteps") List<ModelStep> steps) {
        try (Harness h = new Harness(SETTINGS)) {
            List<String> problems = new ArrayList<>();
            long[] lastTime = {Specs.SEQUENCE_START};
            for (int s = 0; s < steps.size(); s++) {
                ModelStep step = steps.get(s);
                String where = "step " + s + " " + step.release();
                byte[] beforeM = h.descriptorBytes("m");
                byte[] beforeN = h.descriptorBytes("n");
                Encoded e = Specs.encode(h, step.release());
                List<Escape> escaped = new ArrayList<>();
                long offset = h.pipeModel(e.key(), e.value(), e.timestamp(), escaped);
                if (!escaped.isEmpty()) {
                    Statistics.label("models record").collect("exception " + escaped.get(0).error().getClass().getSimpleName());
                    fail(where + ": exception reached the driver: " + Harness.describe(escaped.get(0).error()), steps, s);
                }
                checkRelease(h, where, offset, e, beforeM, beforeN, problems);

                String channel = step.release().channel();
                for (double value : step.values()) {
                    lastTime[0] += 1000;
                    if (!checkPoint(h, where, channel, lastTime[0], value, problems)) {
                        fail(problems.get(problems.size() - 1), steps, s);
                    }
                }
            }
            TelemetryPropertiesTest.collectProcessingErrors(h);
            assertTrue(problems.isEmpty(), () -> TelemetryPropertiesTest.report(problems, steps));
        }
    }

    private static void checkRelease(Harness h, String where, long offset, Encoded e, byte[] beforeM, byte[] beforeN,
                                     List<String> problems) {
        List<DeadLetter> letters = h.deadLettersOf(Topics.MODELS.name()).stream()
                .filter(d -> d.getOriginOffset() == offset).toList();
        ModelRelease decoded = decode(h, e.value());
        if (letters.size() > 1) {
            problems.add(where + ": " + letters.size() + " dead letters");
        }
        if (letters.size() == 1) {
            Statistics.label("models record").collect("dead letter " + letters.get(0).getReason());
            if (!Arrays.equals(beforeM, h.descriptorBytes("m")) || !Arrays.equals(beforeN, h.descriptorBytes("n"))) {
                problems.add(where + ": dead-lettered (" + letters.get(0).getReason() + ") but the champion changed");
            }
            return;
        }
        if (e.value() == null && e.key() != null) {
            String channel = new String(e.key(), StandardCharsets.UTF_8);
            if (h.descriptorBytes(channel) != null) {
                problems.add(where + ": a keyed tombstone neither retired the model nor was dead-lettered");
            } else {
                Statistics.label("models record").collect("retired");
            }
            return;
        }
        if (decoded == null) {
            problems.add(where + ": undecodable, yet no dead letter");
            return;
        }
        ModelDescriptor now = h.descriptor(decoded.getChannelId());
        if (now == null || now.version() != decoded.getVersion() || !now.checksum().equalsIgnoreCase(decoded.getChecksum())) {
            problems.add(where + ": no dead letter, yet the champion of '" + decoded.getChannelId() + "' is "
                    + (now == null ? "none" : "v" + now.version() + " " + now.checksum()));
        } else {
            Statistics.label("models record").collect("champion");
        }
    }

    /** @return false if an exception reached the driver */
    private static boolean checkPoint(Harness h, String where, String channel, long time, double value,
                                      List<String> problems) {
        int scoresBefore = h.scores().size();
        int lettersBefore = h.deadLettersOf(Topics.TELEMETRY.name()).size();
        ModelDescriptor champion = h.descriptor(channel);
        TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(channel).setSource("property")
                .setEventTime(Instant.ofEpochMilli(time)).setValue(value).build();
        List<Escape> escaped = new ArrayList<>();
        h.pipeTelemetry(Specs.utf8(channel), h.pointSerializer.serialize(Topics.TELEMETRY.name(), point), time, escaped);
        String what = where + ", then point '" + channel + "' v=" + Specs.describe(value) + " (champion "
                + (champion == null ? "none" : "v" + champion.version() + " " + champion.architecture().getLayers()
                + "x" + champion.architecture().getUnits() + " scale=" + champion.scaling()
                + " " + champion.settings()) + ")";
        if (!escaped.isEmpty()) {
            // The deployed thread dies here and retries this record; what the driver does next proves nothing.
            problems.add(what + ": exception reached the driver: " + Harness.describe(escaped.get(0).error()));
            Statistics.label("point").collect("exception " + escaped.get(0).error().getClass().getSimpleName());
            return false;
        }
        List<ChannelScore> newScores = h.scores().subList(scoresBefore, h.scores().size());
        List<DeadLetter> newLetters = h.deadLettersOf(Topics.TELEMETRY.name())
                .subList(lettersBefore, h.deadLettersOf(Topics.TELEMETRY.name()).size());
        if (newScores.size() + newLetters.size() != 1) {
            problems.add(what + ": " + newScores.size() + " score(s) and " + newLetters.size() + " dead letter(s)");
            return true;
        }
        if (!newLetters.isEmpty()) {
            Statistics.label("point").collect("dead letter " + newLetters.get(0).getReason());
            return true;
        }
        ChannelScore score = newScores.get(0);
        Detector expected = champion == null ? Detector.BASELINE : Detector.LSTM;
        Integer version = champion == null ? null : champion.version();
        if (score.getDetector() != expected || !java.util.Objects.equals(score.getModelVersion(), version)) {
            problems.add(what + ": scored by " + score.getDetector() + " v" + score.getModelVersion());
        }
        Statistics.label("point").collect("score " + score.getDetector()
                + (Double.isFinite(score.getThreshold()) ? " thresholded" : ""));
        return true;
    }

    private static void fail(String problem, List<ModelStep> steps, int upTo) {
        assertTrue(false, () -> TelemetryPropertiesTest.report(List.of(problem), steps.subList(0, upTo + 1)));
    }

    private static ModelRelease decode(Harness h, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return h.releaseDeserializer.deserialize(Topics.MODELS.name(), value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
