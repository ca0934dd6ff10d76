package io.vigil.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.it.EmbeddedKafka;
import io.vigil.topology.it.RegistryEndpoint;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notifier on a real broker: into a real Alertmanager, which fires and resolves the alerts and
 * notifies its own webhook; and into a JSON webhook, every transition exactly once across a restart,
 * a flaky receiver's after its retries, and a refusing or unreachable receiver's as dead letters.
 */
class NotifierIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SCOPE = "notifier-it-" + UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static EmbeddedKafka kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void broker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(2);
        producer = kafka.producer();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        producer.close();
        kafka.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void alertmanagerFiresAndResolvesEachTransitionAndNotifiesItsOwnReceivers(@TempDir Path dir) throws Exception {
        try (TestReceiver amHook = new TestReceiver(r -> 200);
             AlertmanagerServer am = AlertmanagerServer.start(dir, amHook.uri("/am"))) {
            Notifier notifier = start(Map.of(
                    "vigil.notifier.receivers", "am",
                    "vigil.notifier.receiver.am.format", "alertmanager",
                    "vigil.notifier.receiver.am.url", am.url(),
                    "vigil.notifier.receiver.am.prefix", "am/"));
            Thread loop = run(notifier);
            try {
                anomaly("am/c1", T0, AnomalyStatus.OPEN, null, 2.5);
                node("am/node-1", NodeLiveness.ALIVE, T0, T0);
                node("am/node-1", NodeLiveness.FAULTED, T0.plusSeconds(30), T0);
                anomaly("other/c9", T0, AnomalyStatus.OPEN, null, 9.0); // not on this route
                // Dated years ahead of the clock, as a replay aligned past now is: fired all the same.
                Instant ahead = Instant.now().plus(Duration.ofDays(3650));
                anomaly("am/ahead", ahead, AnomalyStatus.OPEN, null, 4.0);

                await("three alerts active in Alertmanager", () -> activeAlerts(am).size() == 3, am);
                Map<String, JsonNode> byName = activeAlerts(am).stream()
                        .filter(a -> !"am/ahead".equals(a.get("labels").path("channel").asText()))
                        .collect(Collectors.toMap(a -> a.get("labels").get("alertname").asText(), a -> a));
                assertEquals("am/c1", byName.get("VigilAnomaly").get("labels").get("channel").asText());
                assertEquals(T0.toString(), byName.get("VigilAnomaly").get("labels").get("segment_start").asText());
                assertEquals("2.500", byName.get("VigilAnomaly").get("annotations").get("severity").asText());
                assertEquals("am/node-1", byName.get("VigilNodeFaulted").get("labels").get("node").asText());
                await("Alertmanager notified its receiver of all three, firing",
                        () -> notifications(amHook, "firing") >= 3, am);

                anomaly("am/c1", T0, AnomalyStatus.CLOSED, T0.plusSeconds(300), 3.0);
                node("am/node-1", NodeLiveness.RECOVERED, T0.plusSeconds(90), T0.plusSeconds(90));
                anomaly("am/ahead", ahead, AnomalyStatus.CLOSED, ahead.plusSeconds(60), 4.0);
                await("all resolved: none active", () -> activeAlerts(am).isEmpty(), am);
                await("Alertmanager notified its receiver of all three, resolved",
                        () -> notifications(amHook, "resolved") >= 3, am);
            } finally {
                notifier.close();
                loop.join();
            }
        }
    }

    @Test
    void everyTransitionReachesTheWebhookOnceAcrossARestartAndWhatCannotBeDeliveredIsADeadLetter() throws Exception {
        AtomicInteger flakyCalls = new AtomicInteger();
        try (TestReceiver hook = new TestReceiver(r -> {
            if (r.body().contains("\"subject\":\"wh/refuse")) {
                return 400;
            }
            if (r.body().contains("\"subject\":\"wh/flaky") && flakyCalls.incrementAndGet() <= 2) {
                return 503;
            }
            return 200;
        })) {
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            String group = "notifier-it-" + UUID.randomUUID();
            Map<String, String> settings = Map.of(
                    "vigil.notifier.receivers", "hook,down",
                    "vigil.notifier.receiver.hook.url", hook.uri("/hook").toString(),
                    "vigil.notifier.receiver.hook.prefix", "wh/",
                    "vigil.notifier.receiver.hook.min.severity", "1.0",
                    "vigil.notifier.receiver.down.url", "http://127.0.0.1:" + closedPort + "/",
                    "vigil.notifier.receiver.down.prefix", "down/",
                    "vigil.notifier.group.id", group,
                    "vigil.notifier.retry.initial.ms", "50",
                    "vigil.notifier.retry.attempts", "3");

            Notifier first = start(settings);
            Thread loop = run(first);
            for (int i = 0; i < 10; i++) {
                anomaly("wh/c" + i, T0.plusSeconds(i), AnomalyStatus.OPEN, null, 1.5);
                anomaly("wh/c" + i, T0.plusSeconds(i), AnomalyStatus.CLOSED, T0.plusSeconds(i + 60), 2.0);
            }
            anomaly("wh/quiet", T0, AnomalyStatus.OPEN, null, 0.5); // below the bar: not announced
            anomaly("wh/température/\u2603", T0, AnomalyStatus.OPEN, null, 5.0); // any UTF-8 id
            anomaly("wh/refuse", T0, AnomalyStatus.OPEN, null, 5.0);
            anomaly("wh/flaky", T0, AnomalyStatus.OPEN, null, 5.0);
            anomaly("down/c", T0, AnomalyStatus.OPEN, null, 5.0);
            await("the first run's deliveries", () -> delivered(hook).size() >= 22, null);
            List<DeadLetter> firstLetters = awaitDeadLetters(2);
            first.close();
            loop.join();

            for (int i = 10; i < 15; i++) {
                node("wh/n" + i, NodeLiveness.FAULTED, T0.plusSeconds(i), T0);
            }
            Notifier second = start(settings);
            loop = run(second);
            await("the second run's deliveries", () -> delivered(hook).size() >= 27, null);
            Thread.sleep(2000); // time for any repeat to show
            second.close();
            loop.join();

            Map<String, Long> perId = delivered(hook).stream()
                    .collect(Collectors.groupingBy(TestReceiver.Request::idempotencyKey, Collectors.counting()));
            assertEquals(27, perId.size(), "10 opens, 10 closes, flaky's and the UTF-8 id's opens, 5 faults: " + perId.keySet());
            assertTrue(perId.containsKey("anomaly/wh/température/\u2603/OPEN/" + T0.toEpochMilli()), perId.keySet().toString());
            assertTrue(perId.values().stream().allMatch(n -> n == 1), "each delivered once: " + perId);
            assertTrue(perId.containsKey("anomaly/wh/flaky/OPEN/" + T0.toEpochMilli()));
            assertEquals(3, flakyCalls.get(), "two 503s, then delivered");
            assertTrue(perId.keySet().stream().noneMatch(k -> k.contains("wh/quiet")), "below the severity bar");

            Map<DeadLetterReason, DeadLetter> letters = firstLetters.stream()
                    .collect(Collectors.toMap(DeadLetter::getReason, d -> d));
            assertTrue(letters.get(DeadLetterReason.ALERT_REFUSED).getDetail().contains("HTTP 400"),
                    letters.get(DeadLetterReason.ALERT_REFUSED).getDetail());
            assertTrue(letters.get(DeadLetterReason.ALERT_UNDELIVERED).getDetail().contains("receiver down"),
                    letters.get(DeadLetterReason.ALERT_UNDELIVERED).getDetail());
            assertEquals(Topics.ANOMALIES.name(), letters.get(DeadLetterReason.ALERT_REFUSED).getOriginTopic());
            assertEquals(2, readDeadLetters().size(), "no dead letter twice after the restart");
        }
    }

    @Test
    void aRegistryThatIsAwayIsWaitedForAndTheTransitionDeliveredOnceItIsBack() throws Exception {
        try (TestReceiver hook = new TestReceiver(r -> 200)) {
            RegistryEndpoint registry = new RegistryEndpoint(SCOPE);
            int port = Integer.parseInt(registry.url().substring(registry.url().lastIndexOf(':') + 1));
            registry.close();
            int lettersBefore = readDeadLetters().size();
            Map<String, String> settings = new HashMap<>(Map.of(
                    "vigil.notifier.receivers", "hook",
                    "vigil.notifier.receiver.hook.url", hook.uri("/hook").toString(),
                    "vigil.notifier.receiver.hook.prefix", "reg/",
                    "vigil.notifier.retry.initial.ms", "100",
                    "vigil.notifier.retry.max.ms", "500"));
            settings.put("vigil.schema.registry.url", "http://127.0.0.1:" + port);
            Notifier notifier = start(settings);
            Thread loop = run(notifier);
            try {
                anomaly("reg/c1", T0, AnomalyStatus.OPEN, null, 3.0);
                Thread.sleep(3000);
                assertTrue(hook.requests().isEmpty(), "nothing can be read while the registry is away");
                try (RegistryEndpoint back = new RegistryEndpoint(SCOPE, port)) {
                    await("delivered once the registry is back", () -> hook.requests().size() == 1, null);
                    Thread.sleep(1000);
                    assertEquals(1, hook.requests().size(), "once");
                    assertEquals("anomaly/reg/c1/OPEN/" + T0.toEpochMilli(), hook.requests().get(0).idempotencyKey());
                }
            } finally {
                notifier.close();
                loop.join();
            }
            assertEquals(lettersBefore, readDeadLetters().size(), "a registry away is no record's fault: no dead letter");
        }
    }

    private Notifier start(Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>(overrides);
        s.put("vigil.bootstrap.servers", kafka.bootstrapServers());
        s.putIfAbsent("vigil.schema.registry.url", "mock://" + SCOPE);
        s.put("vigil.notifier.start", "earliest");
        s.putIfAbsent("vigil.notifier.group.id", "notifier-it-" + UUID.randomUUID());
        return new Notifier(NotifierConfig.from(Settings.of(s)), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    private static Thread run(Notifier notifier) {
        Thread t = new Thread(notifier::run, "notifier-under-test");
        t.start();
        return t;
    }

    private static void anomaly(String channel, Instant start, AnomalyStatus status, Instant end, double severity) {
        send(Topics.ANOMALIES.name(), channel, AnomalyEvent.class, AnomalyEvent.newBuilder().setChannelId(channel)
                .setStart(start).setEnd(end).setStatus(status).setSeverity(severity).setDetector(Detector.LSTM)
                .setModelVersion(3).build());
    }

    private static void node(String node, NodeLiveness liveness, Instant changedAt, Instant lastHeartbeat) {
        send(Topics.NODE_STATUS.name(), node, NodeStatus.class, NodeStatus.newBuilder().setNodeId(node).setStatus(liveness)
                .setChangedAt(changedAt).setLastHeartbeat(lastHeartbeat).setLastState(NodeState.BUSY)
                .setExpectedIntervalMs(10_000).build());
    }

    private static <T extends SpecificRecord> void send(String topic, String key, Class<T> type, T value) {
        byte[] bytes = AvroSerde.configured(type, Map.of("schema.registry.url", "mock://" + SCOPE), false)
                .serializer().serialize(topic, value);
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), bytes)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> activeAlerts(AlertmanagerServer am) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(am.url()
                    + "/api/v2/alerts?active=true&silenced=false&inhibited=false")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<JsonNode> alerts = new java.util.ArrayList<>();
            json.readTree(body).forEach(alerts::add);
            return alerts;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Alerts with {@code status} in the notifications Alertmanager sent its receiver. */
    private long notifications(TestReceiver amHook, String status) {
        long n = 0;
        for (TestReceiver.Request r : amHook.requests()) {
            try {
                for (JsonNode alert : json.readTree(r.body()).get("alerts")) {
                    n += status.equals(alert.get("status").asText()) ? 1 : 0;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }

    /** The webhook's requests it answered 200. */
    private static List<TestReceiver.Request> delivered(TestReceiver hook) {
        return hook.requests().stream()
                .filter(r -> !r.body().contains("\"subject\":\"wh/refuse"))
                .filter(r -> !r.body().contains("\"subject\":\"wh/flaky") || r == lastFlaky(hook))
                .toList();
    }

    private static TestReceiver.Request lastFlaky(TestReceiver hook) {
        List<TestReceiver.Request> flaky = hook.requests().stream()
                .filter(r -> r.body().contains("\"subject\":\"wh/flaky")).toList();
        return flaky.size() >= 3 ? flaky.get(2) : null;
    }

    private static List<DeadLetter> readDeadLetters() {
        return kafka.readCommitted(Topics.DEAD_LETTERS.name(),
                AvroSerde.configured(DeadLetter.class, Map.of("schema.registry.url", "mock://" + SCOPE), false).deserializer(),
                0, Duration.ofSeconds(2));
    }

    private static List<DeadLetter> awaitDeadLetters(int n) {
        return kafka.readCommitted(Topics.DEAD_LETTERS.name(),
                AvroSerde.configured(DeadLetter.class, Map.of("schema.registry.url", "mock://" + SCOPE), false).deserializer(),
                n, Duration.ofMillis(500));
    }

    private static void await(String what, BooleanSupplier condition, AlertmanagerServer am) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + (am == null ? "" : "\nalertmanager log:\n" + am.log()));
    }
}
