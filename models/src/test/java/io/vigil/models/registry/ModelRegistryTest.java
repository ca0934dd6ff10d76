package io.vigil.models.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.ScalingBounds;
import io.vigil.avro.TelemanomSettings;
import io.vigil.models.cli.ModelsCli;
import io.vigil.models.export.ParameterExport;
import io.vigil.models.network.TelemanomNetwork;
import io.vigil.config.ClientSettings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroDeserializer;
import io.vigil.schemas.serde.AvroSerializer;
import io.vigil.topology.release.ReleaseCheck;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.it.EmbeddedKafka;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry against a real broker (in-process KRaft) and a mock schema registry. What the scorer
 * would use is read straight off the models topic with a plain consumer, not through the registry.
 */
class ModelRegistryTest {

    private static final String SCOPE = "mock://models-registry-test";
    private static final LstmArchitecture SHAPE = LstmArchitecture.newBuilder().setInputSize(1).setLayers(1).setUnits(3)
            .setOutputSize(1).build();

    /** A recurrent weight of {@link #SHAPE} (after layer 0's 1 x 12 input weights): one a half-precision scorer narrows. */
    private static final int HIDDEN_FED = 20;

    private static EmbeddedKafka kafka;
    private static RegistrySettings settings;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(3);
        settings = new RegistrySettings(ClientSettings.local(kafka.bootstrapServers(), SCOPE), Topics.MODELS.name(),
                RegistrySettings.DEFAULT_VERSIONS_TOPIC, (short) 1, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void releasesNeverOverwriteAVersionAndRollbackRestoresThePrevious() throws Exception {
        String channel = "P-1";
        ModelRelease first = candidate(channel, 1);
        ModelRelease second = candidate(channel, 2);
        try (ModelRegistry registry = new ModelRegistry(settings)) {
            registry.ensureTopics();
            long t0 = System.nanoTime();
            Change r1 = registry.release(first);
            System.out.printf("first release %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            assertEquals(Change.Kind.RELEASED, r1.kind());
            assertEquals(1, r1.champion().getVersion());
            assertEquals(0, r1.previousVersion());
            assertEquals(1, onModelsTopic(channel).getVersion());

            t0 = System.nanoTime();
            Change r2 = registry.release(second);
            System.out.printf("second release %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            assertEquals(2, r2.champion().getVersion());
            assertEquals(1, r2.previousVersion());
            ModelRelease champion = onModelsTopic(channel);
            assertEquals(2, champion.getVersion());
            assertEquals("champion", champion.getAlias());
            assertEquals(second.getChecksum(), champion.getChecksum());

            // Version 1 is still there, exactly as released, and each version key was written once.
            List<ModelRelease> history = registry.history(channel);
            assertEquals(List.of(1, 2), history.stream().map(ModelRelease::getVersion).toList());
            assertEquals(first.getChecksum(), history.get(0).getChecksum());
            assertEquals(r1.champion().getReleasedAt(), history.get(0).getReleasedAt());
            Map<String, Integer> writes = versionKeyWrites();
            assertEquals(1, writes.get("P-1@1"));
            assertEquals(1, writes.get("P-1@2"));

            // Releasing the champion's parameters again changes nothing; an older version's makes it champion.
            Change again = registry.release(candidate(channel, 2));
            assertEquals(Change.Kind.UNCHANGED, again.kind());
            assertEquals(2, again.champion().getVersion());
            Change reused = registry.release(candidate(channel, 1));
            assertEquals(Change.Kind.REUSED, reused.kind());
            assertEquals(1, onModelsTopic(channel).getVersion());
            assertEquals(2, registry.history(channel).size(), "no version added");
            registry.promote(channel, 2);

            // Rollback: what the models topic says for the channel is version 1 again, bytes and all.
            Change back = registry.rollback(channel);
            assertEquals(Change.Kind.ROLLED_BACK, back.kind());
            assertEquals(2, back.previousVersion());
            ModelRelease restored = onModelsTopic(channel);
            assertEquals(1, restored.getVersion());
            assertEquals("champion", restored.getAlias());
            assertArrayEquals(bytes(first.getParameters()), bytes(restored.getParameters()));
            assertEquals(first.getScaling(), restored.getScaling());
            assertEquals(1, registry.champion(channel).orElseThrow().getVersion());

            var nothingBefore = assertThrows(IllegalArgumentException.class, () -> registry.rollback(channel));
            assertTrue(nothingBefore.getMessage().contains("no version before the champion's 1"), nothingBefore.getMessage());

            // A new release after a rollback takes the next unused version, not 2 again.
            Change r3 = registry.release(candidate(channel, 3));
            assertEquals(3, r3.champion().getVersion());
            assertEquals(1, r3.previousVersion());
            assertEquals(1, versionKeyWrites().get("P-1@2"), "version 2 was not rewritten");

            Change promoted = registry.promote(channel, 2);
            assertEquals(Change.Kind.PROMOTED, promoted.kind());
            assertEquals(2, onModelsTopic(channel).getVersion());
            assertEquals(Change.Kind.ALREADY_CHAMPION, registry.promote(channel, 2).kind());
            var missing = assertThrows(IllegalArgumentException.class, () -> registry.promote(channel, 9));
            assertTrue(missing.getMessage().contains("P-1 has no version 9 (versions: [1, 2, 3])"), missing.getMessage());

            assertEquals(2, registry.champions().get(channel).getVersion());
        }
    }

    @Test
    void channelsAreIndependentAndIdsSharingAPrefixDoNotMix() throws Exception {
        try (ModelRegistry registry = new ModelRegistry(settings)) {
            registry.ensureTopics();
            registry.release(candidate("A", 10));
            registry.release(candidate("A@1", 11)); // an id that looks like a version key of A
            registry.release(candidate("A", 12));
            assertEquals(List.of(1, 2), registry.history("A").stream().map(ModelRelease::getVersion).toList());
            assertEquals(List.of(1), registry.history("A@1").stream().map(ModelRelease::getVersion).toList());
            assertEquals(2, onModelsTopic("A").getVersion());
            assertEquals(1, onModelsTopic("A@1").getVersion());
            var none = assertThrows(IllegalArgumentException.class, () -> registry.rollback("nobody"));
            assertTrue(none.getMessage().contains("nobody has no champion"), none.getMessage());
        }
    }

    @Test
    void concurrentReleasesOfOneChannelNeverShareAVersion() throws Exception {
        String channel = "race";
        int perWriter = 3;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ModelRegistry r1 = new ModelRegistry(settings); ModelRegistry r2 = new ModelRegistry(settings)) {
            r1.ensureTopics();
            List<Future<List<Integer>>> writers = new ArrayList<>();
            for (ModelRegistry registry : List.of(r1, r2)) {
                int base = writers.size() * 100;
                writers.add(pool.submit(() -> {
                    List<Integer> versions = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        // A fenced attempt wrote nothing; the command is run again, as its message says.
                        for (int attempt = 0; ; attempt++) {
                            long t0 = System.nanoTime();
                            try {
                                versions.add(registry.release(candidate(channel, 1000 + base + i)).champion().getVersion());
                                System.out.printf("race: writer %d release %d took %.0f ms%n", base, i, (System.nanoTime() - t0) / 1e6);
                                break;
                            } catch (IllegalStateException e) {
                                System.out.printf("race: writer %d release %d fenced after %.0f ms: %s%n", base, i,
                                        (System.nanoTime() - t0) / 1e6, e.getCause());
                                if (attempt >= 20 || !e.getMessage().contains("another process")) {
                                    throw e;
                                }
                                // As an operator would, not in lockstep: two instant retries can keep fencing each other.
                                Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(50, 500));
                            }
                        }
                    }
                    return versions;
                }));
            }
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : writers) {
                all.addAll(f.get());
            }
            all.sort(null);
            assertEquals(List.of(1, 2, 3, 4, 5, 6), all, "every release got its own version");
            assertEquals(List.of(1, 2, 3, 4, 5, 6), r1.history(channel).stream().map(ModelRelease::getVersion).toList());
            versionKeyWrites().entrySet().stream().filter(e -> e.getKey().startsWith("race@"))
                    .forEach(e -> assertEquals(1, e.getValue(), e.getKey() + " written once"));
            assertEquals(6, onModelsTopic(channel).getVersion());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesWhatTheScorerWouldDeadLetterWithTheScorersReasonAndWritesNothing() throws Exception {
        // The scorer's reason for each: ThresholdSettings's own messages, ReleaseCheck's, LstmParameters's.
        List<Map.Entry<String, ModelRelease>> bad = new ArrayList<>();
        bad.add(Map.entry("parameter 5 is NaN: the model is unusable", withWeight(candidate("bad-nan", 5), 5, Float.NaN)));
        bad.add(Map.entry("parameter 7 is Infinity: the model is unusable",
                withWeight(candidate("bad-inf", 5), 7, Float.POSITIVE_INFINITY)));
        bad.add(Map.entry("windowSize must be at least 2, is 1",
                withSettings(candidate("bad-window", 5), s -> s.setBatchSize(1000).setWindowSize(1))));
        bad.add(Map.entry("window shorter than 2 * lS",
                withSettings(candidate("bad-window-default", 5), s -> s.setWindowSize(1))));
        bad.add(Map.entry("invalid threshold settings: ", withSettings(candidate("bad-prune", 5), s -> s.setPruneP(1.5))));
        bad.add(Map.entry("window shorter than 2 * lS", withSettings(candidate("bad-ls", 5), s -> s.setLS(1051))));
        bad.add(Map.entry("scaling bounds of the value must be finite with max > min: [2.0, 2.0]",
                withScaling(candidate("bad-scale", 5), 2, 2)));
        bad.add(Map.entry("scaling bounds of the value must be finite with max > min: [-5.0, NaN]",
                withScaling(candidate("bad-nan-scale", 5), -5, Double.NaN)));
        bad.add(Map.entry("checksum mismatch: release says 00, parameters hash to ",
                ModelRelease.newBuilder(candidate("bad-sum", 5)).setChecksum("00").build()));
        bad.add(Map.entry("when run with scoring.model.precision=half: weight 70000.0 does not fit 16-bit weights",
                withWeight(candidate("bad-half", 5), HIDDEN_FED, 70_000f)));
        try (ModelRegistry registry = new ModelRegistry(settings)) {
            registry.ensureTopics();
            for (Map.Entry<String, ModelRelease> c : bad) {
                String channel = c.getValue().getChannelId();
                var e = assertThrows(IllegalStateException.class, () -> registry.release(c.getValue()), channel);
                System.out.println("refused: " + e.getMessage());
                assertTrue(e.getMessage().startsWith(channel + " candidate refused, the scorer would dead-letter it"),
                        e.getMessage());
                assertTrue(e.getMessage().contains(c.getKey()), e.getMessage());
                assertEquals(List.of(), registry.history(channel), channel + ": no version archived");
                assertTrue(registry.champion(channel).isEmpty(), channel + ": no champion");
            }
        }
        assertTrue(versionKeyWrites().keySet().stream().noneMatch(k -> k.startsWith("bad-")), "nothing archived");
    }

    /**
     * One rule, not two: over releases at and around every limit the scorer draws, the registry accepts
     * exactly those the scorer's own check passes, and what reaches the models topic passes it.
     */
    @Test
    void theRegistryAcceptsExactlyTheReleasesTheScorerAccepts() throws Exception {
        byte[] twoFloats = new byte[2 * Float.BYTES];
        List<ModelRelease> releases = List.of(
                candidate("rule-plain", 21),
                withSettings(candidate("rule-window-2", 22), s -> s.setWindowSize(2).setLS(70)),
                withSettings(candidate("rule-window-1", 23), s -> s.setBatchSize(1000).setWindowSize(1)),
                withSettings(candidate("rule-ls-at-limit", 24), s -> s.setLS(1050)),
                withSettings(candidate("rule-ls-past-limit", 25), s -> s.setLS(1051)),
                withSettings(candidate("rule-batch-0", 26), s -> s.setBatchSize(0)),
                withSettings(candidate("rule-smoothing-0", 27), s -> s.setSmoothingPerc(0)),
                withSettings(candidate("rule-buffer-negative", 28), s -> s.setErrorBuffer(-1)),
                withWeight(candidate("rule-weight-65000", 29), HIDDEN_FED, 65_000f),
                withWeight(candidate("rule-weight-1e5", 30), HIDDEN_FED, 1e5f),
                withWeight(candidate("rule-weight-nan", 31), 11, Float.NaN),
                withScaling(candidate("rule-wide-scale", 32), -1e308, 1e308),
                withScaling(candidate("rule-inverted-scale", 33), 1, -1),
                ModelRelease.newBuilder(candidate("rule-upper-case-sum", 34))
                        .setChecksum(candidate("rule-upper-case-sum", 34).getChecksum().toUpperCase(java.util.Locale.ROOT))
                        .build(),
                ModelRelease.newBuilder(candidate("rule-other-sum", 35)).setChecksum(candidate("x", 36).getChecksum())
                        .build(),
                ModelRelease.newBuilder(candidate("rule-two-parameters", 37)).setParameters(ByteBuffer.wrap(twoFloats))
                        .setChecksum(ReleaseCheck.sha256Hex(twoFloats)).build());
        int accepted = 0;
        try (ModelRegistry registry = new ModelRegistry(settings)) {
            registry.ensureTopics();
            for (ModelRelease release : releases) {
                String channel = release.getChannelId();
                // The scorer's verdict on the record as it would reach it: version 1, champion.
                String scorer = scorerRefusal(ModelRelease.newBuilder(release).setVersion(1).setAlias("champion").build());
                String registryRefusal;
                try {
                    registry.release(release);
                    registryRefusal = null;
                } catch (IllegalStateException e) {
                    registryRefusal = e.getMessage();
                }
                if (scorer == null) {
                    assertEquals(null, registryRefusal, channel + ": the scorer accepts it");
                    assertEquals(null, scorerRefusal(onModelsTopic(channel)), channel + ": its champion passes the scorer");
                    accepted++;
                } else {
                    assertTrue(registryRefusal != null && registryRefusal.contains(scorer), channel + ": the scorer says '"
                            + scorer + "', the registry " + (registryRefusal == null ? "accepts it" : "'" + registryRefusal + "'"));
                }
            }
        }
        assertEquals(6, accepted, "plain, window 2, lS at its limit, weight 65000, wide scaling, upper-case checksum");
    }

    @Test
    void anUnreadableVersionRecordStopsTheReleaseNamingItsKeyAndItsNumberIsNeverReused() throws Exception {
        String channel = "G-1";
        try (ModelRegistry registry = new ModelRegistry(settings)) {
            registry.ensureTopics();
            assertEquals(1, registry.release(candidate(channel, 41)).champion().getVersion());
            int partition = ModelRegistry.partitionOf(channel, 3);
            writeRaw(partition, "G-1@2", "not a ModelRelease".getBytes(java.nio.charset.StandardCharsets.UTF_8));

            var e = assertThrows(IllegalStateException.class, () -> registry.release(candidate(channel, 42)));
            System.out.println("unreadable version record: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("G-1: " + RegistrySettings.DEFAULT_VERSIONS_TOPIC + "-" + partition
                    + " offset "), e.getMessage());
            assertTrue(e.getMessage().contains(", key G-1@2, is not a readable ModelRelease ("), e.getMessage());
            assertTrue(e.getMessage().contains("Version 2 is taken but cannot be read, so nothing is changed for G-1"),
                    e.getMessage());
            assertEquals(1, onModelsTopic(channel).getVersion(), "the champion is untouched");
            assertEquals(1, versionKeyWrites().get("G-1@2"), "the garbage alone: version 2 was not taken again");
            assertEquals(null, versionKeyWrites().get("G-1@3"));
            // Every change of the channel stops the same way: none can know what version 2 was.
            assertThrows(IllegalStateException.class, () -> registry.rollback(channel));
            assertThrows(IllegalStateException.class, () -> registry.history(channel));

            // A record at the key that reads as version 2 repairs it; the next release is version 3.
            ModelRelease repaired = ModelRelease.newBuilder(candidate(channel, 43)).setVersion(2).setAlias(null).build();
            writeRaw(partition, "G-1@2", serialized(repaired));
            Change next = registry.release(candidate(channel, 44));
            assertEquals(3, next.champion().getVersion());
            assertEquals(List.of(1, 2, 3), registry.history(channel).stream().map(ModelRelease::getVersion).toList());

            // A record that reads but is another version's is refused the same way.
            writeRaw(partition, "G-1@4", serialized(ModelRelease.newBuilder(repaired).setVersion(9).build()));
            var wrong = assertThrows(IllegalStateException.class, () -> registry.release(candidate(channel, 45)));
            assertTrue(wrong.getMessage().contains("key G-1@4, holds version 9 of G-1, not version 4 of G-1"),
                    wrong.getMessage());
            assertEquals(null, versionKeyWrites().get("G-1@5"));
        }
    }

    @Test
    void theOwnerOfAVersionKeyIsTheChannelBeforeTheLastAt() {
        assertEquals(3, ModelRegistry.versionIn("A@3", "A"));
        assertEquals(0, ModelRegistry.versionIn("A@1@3", "A"), "version 3 of channel A@1");
        assertEquals(3, ModelRegistry.versionIn("A@1@3", "A@1"));
        for (String key : List.of("A@", "A@x", "A@03", "A@-1", "A@0", "A@99999999999")) {
            assertEquals(0, ModelRegistry.versionIn(key, "A"), key);
        }
    }

    @Test
    void theCliTrainsReleasesListsRollsBackAndPromotes(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        for (String channel : List.of("pump-1", "pump-2")) {
            StringBuilder csv = new StringBuilder("timestamp,value\n");
            for (int i = 0; i < 150; i++) {
                csv.append(1_700_000_000_000L + i * 60_000L).append(',').append(Math.sin(i / 6.0) * 3 + 20).append('\n');
            }
            Files.writeString(data.resolve(channel + ".csv"), csv);
        }
        System.setProperty("vigil.bootstrap.servers", kafka.bootstrapServers());
        System.setProperty("vigil.schema.registry.url", SCOPE);
        try {
            String[] train = {"train-and-release", "--layout", "csv", "--data", data.toString(), "--train-fraction", "0.9",
                    "--units", "4", "--l-s", "20", "--max-epochs", "2", "--workers", "2", "--out", dir.resolve("v1").toString()};
            Cli first = cli(concat(train, "--evaluate", dir.resolve("eval").toString()));
            assertEquals(0, first.code, first.err);
            assertTrue(first.out.contains("pump-1: released version 1 as champion"), first.out);
            assertTrue(first.out.contains("2 of 2 channels trained"), first.out);
            // Evaluated before the release, through the scorer topology: the models scored every test point.
            assertTrue(first.out.lines().anyMatch(l -> l.startsWith("| lstm | 2 |")), first.out);
            assertTrue(first.out.lines().anyMatch(l -> l.startsWith("| rcf | 2 |")), first.out);
            String report = Files.readString(dir.resolve("eval/report.md"));
            assertTrue(report.contains("| pump-1 | 15 | 0 | lstm | LSTM v1 |"), report);
            assertTrue(Files.exists(dir.resolve("eval/plots/pump-2.svg")));

            Cli list = cli("list");
            assertEquals(0, list.code, list.err);
            assertTrue(list.out.lines().anyMatch(l -> l.startsWith("pump-2 ") && l.contains(" 1 champion")), list.out);

            String[] retrain = train.clone();
            retrain[retrain.length - 1] = dir.resolve("v2").toString();
            Cli second = cli(concat(retrain, "--seed", "7"));
            assertEquals(0, second.code, second.err);
            assertTrue(second.out.contains("pump-1: released version 2 as champion (champion was version 1)"), second.out);

            Cli back = cli("rollback", "pump-1");
            assertEquals(0, back.code, back.err);
            assertTrue(back.out.contains("pump-1: rolled back to version 1 (champion was version 2)"), back.out);
            assertEquals(1, onModelsTopic("pump-1").getVersion());
            assertEquals(2, onModelsTopic("pump-2").getVersion(), "the other channel is untouched");

            Cli history = cli("list", "pump-1");
            assertTrue(history.out.lines().anyMatch(l -> l.startsWith("pump-1 ") && l.contains(" 1 champion")), history.out);
            assertTrue(history.out.lines().anyMatch(l -> l.startsWith("pump-1 ") && l.matches(".* 2 {11}.*")), history.out);
            assertTrue(history.out.contains("2 version(s), champion 1"), history.out);

            Cli promote = cli("promote", "pump-1", "2");
            assertEquals(0, promote.code, promote.err);
            assertEquals(2, onModelsTopic("pump-1").getVersion());

            Cli unknown = cli("promote", "pump-1", "7");
            assertEquals(2, unknown.code);
            assertTrue(unknown.err.contains("pump-1 has no version 7"), unknown.err);

            Cli rerelease = cli("release", "--models", dir.resolve("v1").toString());
            assertEquals(0, rerelease.code, rerelease.err);
            assertTrue(rerelease.out.contains("pump-1: the parameters equal version 1, champion again (no new version)"
                    + " (champion was version 2)"), rerelease.out);
            assertEquals(1, onModelsTopic("pump-1").getVersion(), "release makes the released parameters champion");
            assertEquals(2, history(dir, "pump-1"), "and adds no version");
        } finally {
            System.clearProperty("vigil.bootstrap.servers");
            System.clearProperty("vigil.schema.registry.url");
        }
    }

    private record Cli(int code, String out, String err) {}

    private static int history(Path dir, String channel) {
        try (ModelRegistry registry = new ModelRegistry(settings)) {
            return registry.history(channel).size();
        }
    }

    private static Cli cli(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = ModelsCli.run(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true), args);
        Cli result = new Cli(code, out.toString(), err.toString());
        System.out.println("$ models " + String.join(" ", args) + "\n" + result.out + result.err);
        return result;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    // ---------------------------------------------------------------------------------------------

    /** What the scorer's check says about {@code release} under any precision, or null if it passes all. */
    private static String scorerRefusal(ModelRelease release) {
        for (LstmParameters.Precision precision : LstmParameters.Precision.values()) {
            try {
                ReleaseCheck.check(release, precision);
            } catch (ReleaseCheck.BadRelease e) {
                return e.getMessage();
            }
        }
        return null;
    }

    /** {@code release} with parameter {@code index} set to {@code value} and the checksum to match. */
    private static ModelRelease withWeight(ModelRelease release, int index, float value) {
        byte[] params = bytes(release.getParameters());
        ByteBuffer.wrap(params).order(ByteOrder.LITTLE_ENDIAN).putFloat(index * Float.BYTES, value);
        return ModelRelease.newBuilder(release).setParameters(ByteBuffer.wrap(params))
                .setChecksum(ReleaseCheck.sha256Hex(params)).build();
    }

    private static ModelRelease withScaling(ModelRelease release, double min, double max) {
        return ModelRelease.newBuilder(release).setScaling(ScalingBounds.newBuilder().setMin(min).setMax(max).build()).build();
    }

    private static ModelRelease withSettings(ModelRelease release, UnaryOperator<TelemanomSettings.Builder> change) {
        return ModelRelease.newBuilder(release)
                .setSettings(change.apply(TelemanomSettings.newBuilder(release.getSettings())).build()).build();
    }

    /** Writes {@code value} at {@code key} of the versions topic's {@code partition}, as any plain producer could. */
    private static void writeRaw(int partition, String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(RegistrySettings.DEFAULT_VERSIONS_TOPIC, partition, key, value)).get();
        }
    }

    private static byte[] serialized(ModelRelease release) {
        AvroSerializer<ModelRelease> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", SCOPE), false);
        return values.serialize(RegistrySettings.DEFAULT_VERSIONS_TOPIC, release);
    }

    /** A release candidate of a tiny network; different seeds give different parameters. */
    static ModelRelease candidate(String channel, long seed) {
        ParameterExport.Export export = ParameterExport.export(TelemanomNetwork.create(SHAPE, 1e-3, seed));
        return ModelRelease.newBuilder()
                .setChannelId(channel)
                .setVersion(0)
                .setArchitecture(export.architecture())
                .setParameters(export.parameterBuffer())
                .setScaling(ScalingBounds.newBuilder().setMin(-seed).setMax(seed).build())
                .setSettings(TelemanomSettings.newBuilder().build())
                .setTrainingInfo(new HashMap<>(Map.of("seed", Long.toString(seed))))
                .setMetrics(new HashMap<>(Map.of("val_mse", 0.01)))
                .setDataHash("d" + seed)
                .setChecksum(export.checksum())
                .setReleasedAt(Instant.EPOCH)
                .build();
    }

    /** The last record for {@code channel} on the models topic, read as the scorer would (read_committed). */
    static ModelRelease onModelsTopic(String channel) throws Exception {
        AvroDeserializer<ModelRelease> values = new AvroDeserializer<>(ModelRelease.class);
        values.configure(Map.of("schema.registry.url", SCOPE), false);
        ModelRelease last = null;
        for (ConsumerRecord<String, byte[]> r : readAll(Topics.MODELS.name())) {
            if (channel.equals(r.key())) {
                last = r.value() == null ? null : values.deserialize(r.topic(), r.value());
            }
        }
        assertNotEquals(null, last, "the models topic has a record for " + channel);
        return last;
    }

    /** How many times each key was written to the versions topic (before any compaction). */
    static Map<String, Integer> versionKeyWrites() throws Exception {
        Map<String, Integer> writes = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(RegistrySettings.DEFAULT_VERSIONS_TOPIC)) {
            writes.merge(r.key(), 1, Integer::sum);
        }
        return writes;
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String topic) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            // Up to the high watermark, not the consumer's end offsets: under read_committed those are the
            // last stable offset, which lags a just-committed transaction until its markers are written.
            Map<TopicPartition, Long> end = highWatermarks(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "read " + topic + " to its end");
                c.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static Map<TopicPartition, Long> highWatermarks(List<TopicPartition> partitions) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
