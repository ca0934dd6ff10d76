package io.vigil.topology.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.ScalingBounds;
import io.vigil.schemas.Topics;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.release.ModelDescriptor;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models topic materialized into the scorer's stores: checks, the champion rule, retirement, the cache. */
class ModelReleaseTest {

    private static final LstmArchitecture SHAPE = TestModels.shape(1, 8);

    @TempDir
    Path stateDir;

    private ScoringFixture fixture;
    private long time;

    @BeforeEach
    void start() {
        fixture = new ScoringFixture(stateDir, Map.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static ModelRelease.Builder release(int version, long seed) {
        return TestModels.champion("ch", version, SHAPE, TestModels.randomParameters(SHAPE, seed), -2, 2,
                TestModels.SMALL);
    }

    private ChannelScore next() {
        time += 60_000;
        fixture.send("ch", time, Math.sin(time / 600_000.0));
        List<ChannelScore> scores = fixture.scores();
        return scores.get(scores.size() - 1);
    }

    private DeadLetter lastDeadLetter() {
        List<DeadLetter> letters = fixture.deadLetters();
        return letters.get(letters.size() - 1);
    }

    @Test
    void aValidChampionIsMaterializedAndScoresFromTheNextPoint() {
        assertEquals(Detector.BASELINE, next().getDetector());
        ModelRelease v1 = release(1, 11).build();
        fixture.publish(v1);

        ModelDescriptor stored = fixture.descriptor("ch");
        assertEquals(1, stored.version());
        assertEquals(v1.getChecksum(), stored.checksum());
        assertEquals(SHAPE, stored.architecture());
        assertEquals(TestModels.SMALL, stored.settings());
        byte[] parameters = fixture.<byte[]>store(VigilTopology.MODEL_PARAMETERS_STORE).get("ch");
        assertArrayEquals(TestModels.randomParameters(SHAPE, 11), parameters);

        ChannelScore score = next();
        assertEquals(Detector.LSTM, score.getDetector());
        assertEquals(1, score.getModelVersion());
        assertEquals(1.0, fixture.count("vigil.models", "outcome", "applied"));
        assertTrue(fixture.deadLetters().isEmpty());
    }

    @Test
    void aChecksumMismatchIsABadModelDeadLetterAndTheOldModelStays() {
        fixture.publish(release(1, 11).build());
        for (int i = 0; i < 30; i++) {
            next();
        }
        ModelRelease tampered = release(2, 12).setChecksum(release(2, 13).build().getChecksum()).build();
        fixture.publish(tampered);

        DeadLetter letter = lastDeadLetter();
        assertEquals(DeadLetterReason.BAD_MODEL, letter.getReason());
        assertEquals(Topics.MODELS.name(), letter.getOriginTopic());
        assertTrue(letter.getDetail().contains("checksum"), letter.getDetail());
        assertEquals(1.0, fixture.count("vigil.dead.letters", "reason", "bad_model"));
        assertEquals(1.0, fixture.count("vigil.models", "outcome", "rejected"));

        ChannelScore score = next();
        assertEquals(1, score.getModelVersion(), "the old model keeps scoring");
        assertEquals(31, fixture.channel("ch").lstmSteps(), "and its state was not reset");
        assertEquals(1, fixture.descriptor("ch").version());
    }

    @Test
    void releasesTheScorerCannotRunAreBadModels() {
        fixture.publish(release(1, 11).build());
        LstmArchitecture wider = TestModels.shape(1, 9);
        byte[] nanWeights = TestModels.randomParameters(SHAPE, 3);
        ByteBuffer.wrap(nanWeights).order(ByteOrder.LITTLE_ENDIAN).putFloat(40, Float.NaN);
        LstmArchitecture twoInputs = LstmArchitecture.newBuilder(SHAPE).setInputSize(2).build();
        byte[] twoInputWeights = TestModels.randomParameters(twoInputs, 4);
        List<ModelRelease> bad = List.of(
                release(2, 12).setArchitecture(wider).build(),                  // bytes of another shape
                release(2, 12).setAlias("challenger").build(),
                release(2, 12).setAlias(null).build(),
                TestModels.champion("ch", 2, SHAPE, nanWeights, -2, 2, TestModels.SMALL).build(),
                TestModels.champion("ch", 2, twoInputs, twoInputWeights, -2, 2, TestModels.SMALL).build(), // no input named
                TestModels.champion("ch", 2, twoInputs, twoInputWeights, -2, 2, TestModels.SMALL)
                        .setInputs(List.of(input("cmd", 0, 0))).build(),               // an input without range
                release(2, 12).setInputs(List.of(input("cmd", 0, 1))).build(),     // an input the network lacks
                release(2, 12).setScaling(ScalingBounds.newBuilder().setMin(1).setMax(1).build()).build(),
                release(2, 12).setSettings(TestModels.avro(new ThresholdSettings(60, 1, 0.05, 5, 0.13, 10))).build(),
                release(2, 12).setSettings(
                        io.vigil.avro.TelemanomSettings.newBuilder().setBatchSize(10).setWindowSize(6).setLS(40).build())
                        .build());
        for (ModelRelease r : bad) {
            fixture.publish(r);
        }
        List<DeadLetter> letters = fixture.deadLetters();
        assertEquals(bad.size(), letters.size());
        for (DeadLetter letter : letters) {
            assertEquals(DeadLetterReason.BAD_MODEL, letter.getReason(), letter.getDetail());
        }
        assertEquals(1, next().getModelVersion());

        fixture.publishRaw("ch", new byte[] {1, 2, 3});
        fixture.publish(null, release(3, 12).build());
        fixture.publish("ch", release(3, 12).setChannelId("other").build());
        assertEquals(List.of(DeadLetterReason.MALFORMED, DeadLetterReason.MISSING_KEY, DeadLetterReason.KEY_MISMATCH),
                fixture.deadLetters().subList(bad.size(), bad.size() + 3).stream().map(DeadLetter::getReason).toList());
    }

    private static io.vigil.avro.ModelInput input(String name, double min, double max) {
        return io.vigil.avro.ModelInput.newBuilder().setName(name)
                .setScaling(ScalingBounds.newBuilder().setMin(min).setMax(max).build()).build();
    }

    @Test
    void aChampionWithInputFeaturesScoresPointsThatCarryThemAndRefusesOthers() {
        LstmArchitecture twoInputs = LstmArchitecture.newBuilder(SHAPE).setInputSize(3).build();
        fixture.publish(TestModels.champion("ch", 1, twoInputs, TestModels.randomParameters(twoInputs, 5), -2, 2,
                TestModels.SMALL).setInputs(List.of(input("valve", 0, 1), input("setpoint", -10, 10))).build());
        assertEquals(List.of(new io.vigil.topology.release.ScaleRange(0, 1),
                new io.vigil.topology.release.ScaleRange(-10, 10)), fixture.descriptor("ch").inputs());
        for (int i = 0; i < 5; i++) {
            time += 60_000;
            fixture.send("ch".getBytes(java.nio.charset.StandardCharsets.UTF_8), io.vigil.avro.TelemetryPoint.newBuilder()
                    .setChannelId("ch").setSource("test").setEventTime(java.time.Instant.ofEpochMilli(time))
                    .setValue(0.5).setInputs(List.of((double) (i % 2), 3.0)).build());
        }
        List<ChannelScore> scores = fixture.scores();
        assertEquals(5, scores.size());
        assertEquals(Detector.LSTM, scores.get(4).getDetector());
        assertEquals(5, fixture.channel("ch").lstmSteps());
        next();
        assertEquals(DeadLetterReason.INPUTS_MISMATCH, lastDeadLetter().getReason(), "a point of the value alone");
        assertEquals(5, fixture.scores().size());
        assertEquals(1.0, fixture.count("vigil.dead.letters", "reason", "inputs_mismatch"));
    }

    @Test
    void theNewestChampionRecordWinsAndAVersionIsNeverReused() {
        fixture.publish(release(2, 22).build());
        for (int i = 0; i < 20; i++) {
            next();
        }
        fixture.publish(release(2, 22).build());
        assertEquals(1.0, fixture.count("vigil.models", "outcome", "unchanged"));
        fixture.publish(release(2, 23).build());
        assertEquals(DeadLetterReason.BAD_MODEL, lastDeadLetter().getReason());
        assertTrue(lastDeadLetter().getDetail().contains("never reuses"), lastDeadLetter().getDetail());
        fixture.publish(release(1, 11).setAlias(null).build());
        assertTrue(lastDeadLetter().getDetail().contains("alias"), lastDeadLetter().getDetail());
        ChannelScore score = next();
        assertEquals(2, score.getModelVersion());
        assertEquals(21, fixture.channel("ch").lstmSteps(), "neither a re-delivery nor a refusal resets the channel");

        // What the registry's rollback and promote write: an older version as champion.
        fixture.publish(release(1, 11).build());
        score = next();
        assertEquals(1, score.getModelVersion());
        assertEquals(1, fixture.channel("ch").lstmSteps(), "a rollback is a swap like any other");
        assertEquals(1.0, fixture.count("vigil.models", "outcome", "rollback"));
        assertEquals(2, fixture.deadLetters().size());
    }

    @Test
    void aTombstoneRetiresTheModelAndTheChannelReturnsToTheBaseline() {
        fixture.publish(release(1, 11).build());
        for (int i = 0; i < 40; i++) {
            next();
        }
        assertTrue(!fixture.windowKeys("ch").isEmpty());
        fixture.publishRaw("ch", null);
        assertNull(fixture.descriptor("ch"));
        assertNull(fixture.<byte[]>store(VigilTopology.MODEL_PARAMETERS_STORE).get("ch"));

        ChannelScore score = next();
        assertEquals(Detector.BASELINE, score.getDetector());
        assertNull(score.getModelVersion());
        assertEquals(score.getValue(), score.getForecast(), "a fresh baseline forecasts its first value");
        assertTrue(fixture.windowKeys("ch").isEmpty(), "the retired model's window is deleted");
        assertEquals(1.0, fixture.count("vigil.models", "outcome", "retired"));
        assertTrue(fixture.deadLetters().isEmpty());
    }

    @Test
    void decodedModelsAreCachedAndAStaleVersionIsNeverServed() {
        fixture.publish(release(1, 11).build());
        for (int i = 0; i < 10; i++) {
            next();
        }
        assertEquals(10.0, fixture.count("vigil.scoring.model.cache", "result", "hit"), "the keeper warmed the cache");
        assertEquals(0.0, fixture.count("vigil.scoring.model.cache", "result", "miss"));
        fixture.publish(release(2, 12).build());
        assertEquals(2, next().getModelVersion());
    }

    @Test
    void aSmallCacheEvictsAndReloadsFromTheStore(@TempDir Path otherDir) {
        try (ScoringFixture small = new ScoringFixture(otherDir, Map.of("scoring.model.cache.size", "1"))) {
            for (String channel : List.of("a", "b")) {
                small.publish(TestModels.champion(channel, 1, SHAPE, TestModels.randomParameters(SHAPE, channel.hashCode()),
                        -2, 2, TestModels.SMALL).build());
            }
            for (int i = 1; i <= 5; i++) {
                small.send("a", i, 0.1 * i);
                small.send("b", i, 0.1 * i);
            }
            assertEquals(10, small.scores().stream().filter(s -> s.getDetector() == Detector.LSTM).count());
            assertEquals(10.0, small.count("vigil.scoring.model.cache", "result", "miss"));
            assertTrue(small.count("vigil.scoring.model.cache.evictions") >= 10);
        }
    }
}
