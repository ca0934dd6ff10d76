package io.vigil.local.commanded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.ModelInput;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.local.CommittedRecords;
import io.vigil.local.FreePorts;
import io.vigil.local.ServiceProcess;
import io.vigil.local.broker.LocalBroker;
import io.vigil.local.registry.LocalSchemaRegistry;
import io.vigil.models.synthetic.CommandedTelemetry;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Telemanom-layout channel with SMAP's 25 columns (the value and 24 command flags), end to end on a
 * real broker, each service in its own JVM: {@code models train-and-release} trains a network of 25
 * inputs and releases it with the inputs named, the replay producer sends every test row's value and
 * flags, and the scorer scores every point with the LSTM. Counted: as many LSTM scores as rows, no dead
 * letter; then a point of the value alone, which the model cannot take, is one dead letter
 * INPUTS_MISMATCH and the channel scores its next point. The models process runs without
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}, as an operator would start it.
 */
class CommandedTelemanomIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final int COMMANDS = 24;
    private static final int TEST_POINTS = 1_200;
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    private LocalBroker broker;
    private LocalSchemaRegistry registry;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(p -> p.stop(Duration.ofSeconds(20)));
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aChannelWithCommandInputsTrainsReleasesReplaysAndIsScoredByItsModel() throws Exception {
        LocalBroker.Options defaults = LocalBroker.Options.defaults(dir.resolve("broker"));
        broker = LocalBroker.start(new LocalBroker.Options(defaults.dataDir(), 0, 0, dir.resolve("broker.log"),
                defaults.classpath(), defaults.javaExecutable()), Duration.ofSeconds(90));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.all(), 2, (short) 1, Duration.ofSeconds(30));
        }
        registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
        Path data = dir.resolve("commanded");
        List<String> ids = CommandedTelemetry.write(data, new CommandedTelemetry.Spec(1, COMMANDS, 900, TEST_POINTS, 1, 7));
        String channel = ids.get(0);

        ServiceProcess scorer = start("scorer", "topology", "io.vigil.topology.ScorerApp", Map.of(
                "VIGIL_STATE_DIR", dir.resolve("state").toString(),
                "VIGIL_METRICS_PORT", Integer.toString(FreePorts.pick(1)[0]),
                "VIGIL_TIME_MAX_AHEAD_MS", "0"), List.of());
        ServiceProcess trainer = start("models", "models", "io.vigil.models.cli.ModelsCli", Map.of("OMP_NUM_THREADS", "1"),
                List.of(), List.of("train-and-release", "--layout", "telemanom", "--data", data.toString(), "--workers", "1",
                        "--max-epochs", "2", "--l-s", "30", "--units", "8", "--out", dir.resolve("models").toString()));
        assertEquals(0, trainer.awaitExit(Duration.ofMinutes(8)), trainer.logText());
        List<ModelRelease> champions = read(Topics.MODELS.name(), ModelRelease.class);
        assertEquals(1, champions.size(), "one champion released");
        ModelRelease champion = champions.get(0);
        assertEquals(1 + COMMANDS, champion.getArchitecture().getInputSize());
        assertEquals("cmd1", champion.getInputs().get(0).getName());
        assertEquals(COMMANDS, champion.getInputs().stream().map(ModelInput::getName).distinct().count());

        // Aligned to now, so every point comes after the release in the scorer's stream time.
        ServiceProcess replay = start("replay", "replay-producer", "io.vigil.replay.ReplayProducer", Map.of(),
                List.of("--speed", "0", "--align-now", "--telemanom", data.toString()));
        assertEquals(0, replay.awaitExit(WAIT), replay.logText());
        List<ChannelScore> scores = awaitOutcomes(TEST_POINTS, TEST_POINTS, scorer);
        assertEquals(TEST_POINTS, scores.size(), "one score per replayed row");
        List<DeadLetter> letters = read(Topics.DEAD_LETTERS.name(), DeadLetter.class);
        assertTrue(letters.isEmpty(), "no dead letter: " + letters);
        for (ChannelScore s : scores) {
            assertEquals(Detector.LSTM, s.getDetector(), "scored by the model of 25 inputs: " + s);
            assertEquals(champion.getVersion(), s.getModelVersion());
        }
        assertTrue(scores.stream().skip(1).allMatch(s -> Double.isFinite(s.getForecast()) && Double.isFinite(s.getError())),
                "every point after the first has the network's forecast and its error");

        // A point of the value alone: the model takes 24 inputs beside it.
        Instant after = scores.get(scores.size() - 1).getEventTime().plusSeconds(60);
        send(TelemetryPoint.newBuilder().setChannelId(channel).setSource("test").setEventTime(after).setValue(0.1)
                .setInputs(List.of()).build());
        List<DeadLetter> refused = awaitDeadLetters(1, scorer);
        assertEquals(DeadLetterReason.INPUTS_MISMATCH, refused.get(0).getReason(), refused.get(0).getDetail());
        List<Double> commands = new ArrayList<>(java.util.Collections.nCopies(COMMANDS, 0.0));
        commands.set(2, 1.0);
        send(TelemetryPoint.newBuilder().setChannelId(channel).setSource("test").setEventTime(after.plusSeconds(60))
                .setValue(0.1).setInputs(commands).build());
        List<ChannelScore> last = awaitOutcomes(TEST_POINTS + 2, TEST_POINTS + 1, scorer);
        assertEquals(Detector.LSTM, last.get(last.size() - 1).getDetector(), "the next point with its inputs is scored");
        assertEquals(1, read(Topics.DEAD_LETTERS.name(), DeadLetter.class).size());
        assertTrue(scorer.isAlive(), scorer.logText());
    }

    private ServiceProcess start(String name, String module, String mainClass, Map<String, String> env,
                                 List<String> args) throws Exception {
        return start(name, module, mainClass, env, List.of("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro"), args);
    }

    private ServiceProcess start(String name, String module, String mainClass, Map<String, String> env,
                                 List<String> jvmOptions, List<String> args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("VIGIL_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        all.put("VIGIL_SCHEMA_REGISTRY_URL", registry.url());
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC", "--add-modules",
                "jdk.incubator.vector"));
        options.addAll(jvmOptions);
        ServiceProcess p = ServiceProcess.start(name, REPO, module, mainClass, options, all, args,
                Files.createDirectories(dir.resolve("logs")));
        processes.add(p);
        return p;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type) {
        return CommittedRecords.readAll(broker.bootstrapServers(), registry.url(), topic, type);
    }

    /** The scores once {@code outcomes} points have a score or a dead letter; there must be {@code scored} scores. */
    private List<ChannelScore> awaitOutcomes(int outcomes, int scored, ServiceProcess scorer) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ChannelScore> scores;
        do {
            scores = read(Topics.SCORES.name(), ChannelScore.class);
            int letters = read(Topics.DEAD_LETTERS.name(), DeadLetter.class).size();
            if (scores.size() + letters >= outcomes || !scorer.isAlive()) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        assertEquals(scored, scores.size(), "scores committed" + scorer.logText());
        return scores;
    }

    private List<DeadLetter> awaitDeadLetters(int count, ServiceProcess scorer) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<DeadLetter> letters;
        do {
            letters = read(Topics.DEAD_LETTERS.name(), DeadLetter.class);
            if (letters.size() >= count) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        assertEquals(count, letters.size(), "dead letters committed" + scorer.logText());
        return letters;
    }

    private void send(TelemetryPoint point) {
        Serializer<TelemetryPoint> values = AvroSerde.configured(TelemetryPoint.class,
                Map.of("schema.registry.url", registry.url()), false).serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), null, point.getEventTime().toEpochMilli(),
                    point.getChannelId().getBytes(StandardCharsets.UTF_8),
                    values.serialize(Topics.TELEMETRY.name(), point)));
            producer.flush();
        }
    }
}
