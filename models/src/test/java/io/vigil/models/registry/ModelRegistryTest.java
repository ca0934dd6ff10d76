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
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroDeserializer;
import io.vigil.topology.it.EmbeddedKafka;
import java.nio.ByteBuffer;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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

    private static EmbeddedKafka kafka;
    private static RegistrySettings settings;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(3);
        settings = new RegistrySettings(kafka.bootstrapServers(), SCOPE, null, Topics.MODELS.name(),
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
    void refusesACandidateWhoseParametersDoNotMatchItsChecksum() {
        ModelRelease bad = ModelRelease.newBuilder(candidate("X-1", 5)).setChecksum("00").build();
        try (ModelRegistry registry = new ModelRegistry(settings)) {
            var e = assertThrows(IllegalStateException.class, () -> registry.release(bad));
            assertTrue(e.getMessage().contains("do not match the checksum"), e.getMessage());
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
