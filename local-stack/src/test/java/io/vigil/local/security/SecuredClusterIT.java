package io.vigil.local.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.Detector;
import io.vigil.avro.ModelRelease;
import io.vigil.config.ConnectionCheck;
import io.vigil.local.CommittedRecords;
import io.vigil.local.FreePorts;
import io.vigil.local.ServiceProcess;
import io.vigil.local.broker.LocalBroker;
import io.vigil.local.broker.SecureListeners;
import io.vigil.local.registry.LocalSchemaRegistry;
import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import io.vigil.schemas.ServiceAccess;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import io.vigil.tls.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vigil on a broker that enforces TLS, SASL and ACLs, every service in a JVM of its own configured
 * only through {@code VIGIL_*} settings, secrets read from files: the scorer, the replay producer and
 * {@code models train-and-release} over SASL_SSL (SCRAM-SHA-512) as users of their own, the bridge over
 * mutual TLS (its certificate's CN is its principal) and serving HTTPS with a token from a file, the
 * schema registry's log over SASL_SSL. Each user holds exactly {@link ServiceAccess}' grants, so a grant
 * the code needs and the declaration lacks fails here. Then the refusals: a wrong password, a broker
 * certificate nobody trusts and a client certificate the broker does not trust each end the process
 * with {@link ConnectionCheck#EXIT_REFUSED} and one line, within seconds, without printing the secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredClusterIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String PASSWORD = "store-pw-" + Long.toHexString(System.nanoTime());
    private static final String CHANNEL = "sec-1";
    private static final int POINTS = 1200;
    private static final String INGEST_CHANNEL = "sec-ingest";
    private static final int INGESTED = 50;
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    static Path dir;

    private TestPki pki;
    private TestPki stranger;
    private LocalBroker broker;
    private SecureListeners secure;
    private LocalSchemaRegistry registry;
    private Path secrets;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @BeforeAll
    void startSecuredBroker() throws Exception {
        pki = TestPki.create(dir.resolve("pki"), "vigil-test-ca", PASSWORD);
        stranger = TestPki.create(dir.resolve("stranger"), "someone-elses-ca", PASSWORD);
        int[] ports = FreePorts.pick(2);
        secure = new SecureListeners(ports[0], ports[1], pki.serverKeyStore("broker"), pki.trustStore(), PASSWORD);
        LocalBroker.Options defaults = LocalBroker.Options.defaults(dir.resolve("broker"));
        broker = LocalBroker.start(new LocalBroker.Options(defaults.dataDir(), 0, 0, dir.resolve("broker.log"),
                defaults.classpath(), defaults.javaExecutable()), secure, Duration.ofSeconds(90));
        secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("store-password"), PASSWORD + "\n");

        // The harness sets up users, ACLs and topics over the PLAINTEXT listener, as a super user.
        try (Admin admin = plaintextAdmin()) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (ServiceAccess.Service service : ServiceAccess.Service.values()) {
                users.add(new UserScramCredentialUpsertion(service.user(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), passwordOf(service)));
                acls.addAll(ServiceAccess.aclBindings(service, "vigil-scorer", "User:" + service.user()));
            }
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            new TopicProvisioner(admin).ensure(Topics.all(), 2, (short) 1, Duration.ofSeconds(30));
        }
        // The registry keeps its log in Kafka: it connects like every other client, from settings.
        registry = LocalSchemaRegistry.start(ClientSettings.from(Settings.of(saslSettings(ServiceAccess.Service.REGISTRY, ""))), 0);
    }

    @AfterAll
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
    void everyServiceWorksOverTlsAndSaslWithOnlyItsOwnGrants() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path csv = data.resolve(CHANNEL + ".csv");
        StringBuilder rows = new StringBuilder("timestamp,value\n");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < POINTS; i++) {
            rows.append(start.plusSeconds(60L * i)).append(',').append(Math.sin(i / 9.0) + 0.1 * Math.cos(i / 2.3)).append('\n');
        }
        Files.writeString(csv, rows);

        ServiceProcess scorer = start("scorer", "topology", "io.vigil.topology.ScorerApp",
                env(saslSettings(ServiceAccess.Service.SCORER, ""), Map.of(
                        "VIGIL_STATE_DIR", dir.resolve("state").toString(),
                        "VIGIL_METRICS_PORT", Integer.toString(FreePorts.pick(1)[0]),
                        "VIGIL_TIME_MAX_AHEAD_MS", "0")), List.of());
        int bridgePort = FreePorts.pick(1)[0];
        Path token = Files.writeString(secrets.resolve("bridge-token"), "bridge-token-0123456789abcdef\n");
        ServiceProcess bridge = start("bridge", "sse-bridge", "io.vigil.bridge.SseBridge",
                env(mutualTlsSettings("vigil-sse-bridge", pki), Map.of(
                        "VIGIL_BRIDGE_PORT", Integer.toString(bridgePort),
                        "VIGIL_BRIDGE_AUTH_TOKEN_FILE", token.toString(),
                        "VIGIL_BRIDGE_TLS_KEYSTORE_LOCATION", pki.serverKeyStore("bridge").toString(),
                        "VIGIL_BRIDGE_TLS_KEYSTORE_TYPE", "PKCS12",
                        "VIGIL_BRIDGE_TLS_KEYSTORE_PASSWORD_FILE", secrets.resolve("store-password").toString())),
                List.of());

        ServiceProcess replay = start("replay", "replay-producer", "io.vigil.replay.ReplayProducer",
                env(saslSettings(ServiceAccess.Service.REPLAY, ""), Map.of()), List.of("--speed", "0", csv.toString()));
        assertEquals(0, awaitExit(replay, WAIT), log(replay));
        List<ChannelScore> scores = awaitOutcomes(POINTS, scorer);
        assertEquals(POINTS, scores.size(), "one score per point over SASL_SSL");
        assertTrue(scores.stream().allMatch(s -> s.getDetector() == Detector.BASELINE));
        assertTrue(scorer.isAlive(), log(scorer));

        // The bridge read the scores over mutual TLS and serves them over HTTPS, with the token only.
        HttpClient https = HttpClient.newBuilder().sslContext(TlsContexts.of(null, null,
                new TlsContexts.Store("test trust", pki.trustStore().toString(), "PKCS12", PASSWORD))).build();
        URI channels = URI.create("https://127.0.0.1:" + bridgePort + "/api/channels");
        String body = awaitBody(https, channels, "bridge-token-0123456789abcdef", b -> b.contains(CHANNEL), bridge);
        assertTrue(body.contains(CHANNEL), body);
        assertEquals(401, https.send(HttpRequest.newBuilder(channels).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode(), "no token, no data");

        // models train-and-release writes the champion in its own transaction, as its own user.
        ServiceProcess trainer = start("models", "models", "io.vigil.models.cli.ModelsCli",
                env(saslSettings(ServiceAccess.Service.MODELS, ""), Map.of("OMP_NUM_THREADS", "1")),
                List.of("train-and-release", "--layout", "csv", "--data", data.toString(), "-c", CHANNEL,
                        "--workers", "1", "--max-epochs", "2", "--l-s", "30", "--units", "8",
                        "--out", dir.resolve("models").toString()));
        assertEquals(0, awaitExit(trainer, Duration.ofMinutes(8)), log(trainer));
        List<ModelRelease> champions = readAll(Topics.MODELS.name(), ModelRelease.class);
        assertEquals(1, champions.size(), "one champion released");
        assertEquals(CHANNEL, champions.get(0).getChannelId());

        // The scorer picked it up: a second pass of the channel, moved to now, is scored by the LSTM.
        ServiceProcess again = start("replay-2", "replay-producer", "io.vigil.replay.ReplayProducer",
                env(saslSettings(ServiceAccess.Service.REPLAY, ""), Map.of()),
                List.of("--speed", "0", "--align-now", csv.toString()));
        assertEquals(0, awaitExit(again, WAIT), log(again));
        List<ChannelScore> second = awaitOutcomes(2 * POINTS, scorer);
        assertEquals(2 * POINTS, second.size());
        assertTrue(second.subList(POINTS, 2 * POINTS).stream().allMatch(s -> s.getDetector() == Detector.LSTM),
                "after the release every point is the model's");
        assertTrue(scorer.isAlive() && bridge.isAlive(), log(scorer) + log(bridge));

        // A bridge with HTTP ingest, as the ingest user: its transactions of telemetry are allowed, and scored.
        int ingestPort = FreePorts.pick(1)[0];
        ServiceProcess ingest = start("ingest", "sse-bridge", "io.vigil.bridge.SseBridge",
                env(saslSettings(ServiceAccess.Service.INGEST, ""), Map.of(
                        "VIGIL_BRIDGE_PORT", Integer.toString(ingestPort),
                        "VIGIL_BRIDGE_INGEST_ENABLED", "true")), List.of());
        StringBuilder batch = new StringBuilder("{\"points\":[");
        for (int i = 0; i < INGESTED; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"channel\":\"").append(INGEST_CHANNEL).append("\",\"time\":\"")
                    .append(start.plusSeconds(60L * i)).append("\",\"value\":").append(Math.sin(i / 5.0)).append('}');
        }
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/api/v1/telemetry"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch.append("]}").toString()))
                .build();
        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<String> answer = null;
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            try {
                answer = plain.send(post, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notListeningYet) {
                // the bridge is still starting
            }
            Thread.sleep(500);
        }
        assertEquals(200, answer == null ? -1 : answer.statusCode(), (answer == null ? "" : answer.body()) + log(ingest));
        List<ChannelScore> third = awaitOutcomes(2 * POINTS + INGESTED, scorer);
        assertEquals(INGESTED, third.stream().filter(sc -> sc.getChannelId().equals(INGEST_CHANNEL)).count());
    }

    @Test
    void aWrongPasswordEndsTheScorerAtOnceWithOneLineAndNoSecret() throws Exception {
        Map<String, String> wrong = saslSettings(ServiceAccess.Service.SCORER, "not-the-password-");
        ServiceProcess scorer = start("scorer-wrong-password", "topology", "io.vigil.topology.ScorerApp",
                env(wrong, Map.of("VIGIL_STATE_DIR", dir.resolve("state-wrong").toString(), "VIGIL_METRICS_PORT", "0")),
                List.of());
        assertEquals(ConnectionCheck.EXIT_REFUSED, awaitExit(scorer, Duration.ofSeconds(60)), log(scorer));
        String log = log(scorer);
        assertTrue(log.contains("refused the credentials"), log);
        assertFalse(log.contains("not-the-password-"), "the password is never printed:\n" + log);
    }

    @Test
    void aBrokerCertificateNobodyTrustsEndsTheReplayWithOneLine() throws Exception {
        Map<String, String> settings = new HashMap<>(saslSettings(ServiceAccess.Service.REPLAY, ""));
        settings.put("vigil.kafka.ssl.truststore.location", stranger.trustStore().toString());
        Path csv = Files.writeString(dir.resolve("x.csv"), "timestamp,value\n2026-01-01T00:00:00Z,1\n");
        ServiceProcess replay = start("replay-untrusted", "replay-producer", "io.vigil.replay.ReplayProducer",
                env(settings, Map.of()), List.of("--speed", "0", csv.toString()));
        assertEquals(ConnectionCheck.EXIT_REFUSED, awaitExit(replay, Duration.ofSeconds(60)), log(replay));
        String log = log(replay);
        assertTrue(log.contains("replay: Kafka at " + secure.saslSslBootstrap() + ": TLS handshake failed"), log);
    }

    @Test
    void aClientCertificateTheBrokerDoesNotTrustEndsTheBridgeWithOneLine() throws Exception {
        ServiceProcess bridge = start("bridge-untrusted-client", "sse-bridge", "io.vigil.bridge.SseBridge",
                env(mutualTlsSettings("vigil-sse-bridge", stranger), Map.of("VIGIL_BRIDGE_PORT", "0")), List.of());
        assertEquals(ConnectionCheck.EXIT_REFUSED, awaitExit(bridge, Duration.ofSeconds(60)), log(bridge));
        assertTrue(log(bridge).contains("TLS handshake failed"), log(bridge));
    }

    /**
     * SASL_SSL settings of {@code service} as system-property names, the JAAS line and the trust store
     * password in files; {@code passwordPrefix} spoils the password when not empty.
     */
    private Map<String, String> saslSettings(ServiceAccess.Service service, String passwordPrefix) throws Exception {
        Path jaas = secrets.resolve(service.user() + (passwordPrefix.isEmpty() ? "" : "-wrong") + ".jaas");
        Files.writeString(jaas, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + service.user() + "\" password=\"" + passwordPrefix + passwordOf(service) + "\";\n");
        Map<String, String> s = new HashMap<>();
        s.put("vigil.bootstrap.servers", secure.saslSslBootstrap());
        s.put("vigil.kafka.security.protocol", "SASL_SSL");
        s.put("vigil.kafka.sasl.mechanism", SecureListeners.SCRAM);
        s.put("vigil.kafka.sasl.jaas.config.file", jaas.toString());
        s.put("vigil.kafka.ssl.truststore.location", pki.trustStore().toString());
        s.put("vigil.kafka.ssl.truststore.type", "PKCS12");
        s.put("vigil.kafka.ssl.truststore.password.file", secrets.resolve("store-password").toString());
        if (registry != null) {
            s.put("vigil.schema.registry.url", registry.url());
        }
        return s;
    }

    /** SSL settings with a client certificate {@code CN=<commonName>} signed by {@code issuer}. */
    private Map<String, String> mutualTlsSettings(String commonName, TestPki issuer) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("vigil.bootstrap.servers", secure.sslBootstrap());
        s.put("vigil.kafka.security.protocol", "SSL");
        s.put("vigil.kafka.ssl.keystore.location", issuer.clientKeyStore(commonName).toString());
        s.put("vigil.kafka.ssl.keystore.type", "PKCS12");
        s.put("vigil.kafka.ssl.keystore.password.file", secrets.resolve("store-password").toString());
        s.put("vigil.kafka.ssl.key.password.file", secrets.resolve("store-password").toString());
        s.put("vigil.kafka.ssl.truststore.location", pki.trustStore().toString());
        s.put("vigil.kafka.ssl.truststore.type", "PKCS12");
        s.put("vigil.kafka.ssl.truststore.password.file", secrets.resolve("store-password").toString());
        s.put("vigil.schema.registry.url", registry.url());
        return s;
    }

    /** Settings as environment variables, the way a container gets them, plus {@code extra}. */
    private static Map<String, String> env(Map<String, String> settings, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        settings.forEach((k, v) -> env.put(k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
        env.putAll(extra);
        return env;
    }

    private ServiceProcess start(String name, String module, String mainClass, Map<String, String> env,
                                 List<String> args) throws IOException {
        ServiceProcess p = ServiceProcess.start(name, REPO, module, mainClass,
                List.of("-Xmx512m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector",
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro", "-Dorg.jboss.logging.provider=slf4j"),
                env, args, Files.createDirectories(dir.resolve("logs")));
        processes.add(p);
        return p;
    }

    private static int awaitExit(ServiceProcess p, Duration timeout) throws InterruptedException {
        return p.awaitExit(timeout);
    }

    private static String log(ServiceProcess p) {
        return p.logText();
    }

    /**
     * The scores once every point sent so far has its outcome (a score or a dead letter), or when the
     * wait is over; a shortfall or a dead letter fails with the points missing, the dead letters and
     * the scorer's log, so a failure says where the points went.
     */
    private List<ChannelScore> awaitOutcomes(int points, ServiceProcess scorer) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ChannelScore> scores;
        List<DeadLetter> letters;
        do {
            scores = readAll(Topics.SCORES.name(), ChannelScore.class);
            letters = readAll(Topics.DEAD_LETTERS.name(), DeadLetter.class);
            if (scores.size() + letters.size() >= points) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        if (scores.size() != points || !letters.isEmpty()) {
            throw new AssertionError(points + " points sent, " + scores.size() + " scores and " + letters.size()
                    + " dead letters committed; dead letters: " + letters.stream()
                    .map(d -> d.getReason() + " at " + d.getOriginTopic() + "-" + d.getOriginPartition() + "@"
                            + d.getOriginOffset() + ": " + d.getDetail()).toList()
                    + "; last scored: " + (scores.isEmpty() ? "none" : scores.get(scores.size() - 1).getEventTime())
                    + log(scorer));
        }
        return scores;
    }

    /** Every committed record of {@code topic}, read over PLAINTEXT as the harness. */
    private <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(String topic, Class<T> type) {
        return CommittedRecords.readAll(broker.bootstrapServers(), registry.url(), topic, type);
    }

    private static String awaitBody(HttpClient http, URI uri, String token, Predicate<String> done, ServiceProcess server)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && done.test(r.body())) {
                    return r.body();
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no answer from " + uri + ": " + last + log(server));
    }

    private Admin plaintextAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static String passwordOf(ServiceAccess.Service service) {
        return service.user() + "-scram-pw";
    }

}
