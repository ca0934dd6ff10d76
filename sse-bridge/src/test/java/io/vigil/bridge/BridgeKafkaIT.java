package io.vigil.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.testing.Await;
import io.vigil.bridge.testing.Producer;
import io.vigil.bridge.testing.SseStream;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.topology.it.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge against a real broker: records in the registry wire format on all four topics, resumes
 * served from memory, from Kafka and across a bridge restart, and the REST views.
 */
class BridgeKafkaIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SCOPE = "bridge-it-" + UUID.randomUUID();
    private static EmbeddedKafka kafka;
    private static Producer producer;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private long clock = 1_700_000_000_000L;

    @BeforeAll
    static void broker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(3); // these channel names all hash to partition 0 of 2; over 3 they spread
        producer = new Producer(kafka.bootstrapServers(), "mock://" + SCOPE);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        producer.close();
        kafka.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void aClientThatReconnectsGetsExactlyTheMissedEventsOnceInOrderThenLiveOnes() throws Exception {
        for (int historySize : new int[] {20_000, 2}) { // from memory; then from Kafka
            SseBridge bridge = started(history(historySize));
            SseStream first = open(bridge, null);
            // Stays connected: once it has the missed events, so has the bridge's memory.
            SseStream watcher = open(bridge, null);
            Await.until(WAIT, "live", () -> first.lastEventId() != null && watcher.lastEventId() != null);
            List<String> sent = produce(6);
            assertEquals(byChannel(sent), byChannel(values(first, 6)));
            String lastSeen = first.lastEventId();
            first.close();

            List<String> missed = produce(20);
            values(watcher, 26);
            SseStream again = open(bridge, lastSeen);
            JsonNode resume = json.readTree(again.nextOf(WAIT, "resume").data());
            assertEquals(historySize > 2 ? "memory" : "kafka", resume.get("via").textValue(), "history " + historySize);
            List<String> got = values(again, 20);
            assertEquals(byChannel(missed), byChannel(got), "each missed event once, in order per channel");
            List<String> live = produce(4);
            assertEquals(byChannel(live), byChannel(values(again, 4)));
            assertTrue(again.drain(Duration.ofMillis(300)).stream().noneMatch(e -> e.event().equals("score")),
                    "and nothing twice");
            bridge.close();
        }
    }

    @Test
    void aResumeTooFarBehindGivesUpSaysSoAndGoesLive() throws Exception {
        SseBridge bridge = started(history(2).withResume(1, 5));
        SseStream first = open(bridge, null);
        SseStream watcher = open(bridge, null);
        Await.until(WAIT, "live", () -> first.lastEventId() != null && watcher.lastEventId() != null);
        String lastSeen = first.lastEventId();
        first.close();
        produce(12);
        values(watcher, 12); // the bridge has them: the resume below is behind by 12, not by none

        SseStream again = open(bridge, lastSeen);
        JsonNode gaveUp = json.readTree(again.nextMatching(WAIT, e -> e.event().equals("resume")
                && e.data().contains("gaveUp")).data());
        assertTrue(gaveUp.get("gaveUp").booleanValue());
        assertTrue(again.comments().stream().anyMatch(c -> c.startsWith("resume gave up")), again.comments().toString());
        List<String> live = produce(3);
        List<String> got = new ArrayList<>();
        while (!got.containsAll(live)) { // going live may first hand on what memory still holds
            got.addAll(values(again, 1));
        }
    }

    @Test
    void aResumeIdFromBeforeTheTopicWasRecreatedIsResumedFromTheLookBackAndSaysSo() throws Exception {
        SseBridge bridge = started(history(2));
        SseStream first = open(bridge, null);
        Await.until(WAIT, "live", () -> first.lastEventId() != null);
        produce(6);
        values(first, 6);
        // What an id of the topic's previous incarnation looks like now: offsets past every log end.
        Position seen = PositionCodec.decode(first.lastEventId());
        Position stale = seen;
        for (int p = 0; p < seen.partitions(EventType.SCORE); p++) {
            stale = stale.with(EventType.SCORE, p, seen.next(EventType.SCORE, p) + 1_000_000);
        }
        first.close();

        SseStream again = open(bridge, PositionCodec.encode(stale));
        JsonNode resume = json.readTree(again.nextOf(WAIT, "resume").data());
        assertEquals("[\"score\"]", resume.get("reset").toString(), resume.toString());
        assertTrue(again.comments().stream().anyMatch(c -> c.startsWith("resume id is stale")), again.comments().toString());
        List<String> live = produce(3);
        List<String> got = new ArrayList<>();
        while (!got.containsAll(live)) { // the look-back first, then these: none held back
            got.addAll(values(again, 1));
        }
    }

    @Test
    void aClientResumesAcrossABridgeRestartFromTheLookBack() throws Exception {
        BridgeConfig config = history(20_000);
        SseBridge bridge = started(config);
        SseStream client = open(bridge, null);
        Await.until(WAIT, "live", () -> client.lastEventId() != null);
        produce(3);
        values(client, 3);
        String lastSeen = client.lastEventId();
        bridge.close();
        Await.until(WAIT, "the stream ended", client::ended);

        List<String> missed = produce(7);
        SseBridge restarted = started(config);
        SseStream again = open(restarted, lastSeen);
        assertEquals(byChannel(missed), byChannel(values(again, 7)));
    }

    @Test
    void restViewsAgreeWithTheStreamFromTheirPosition() throws Exception {
        SseBridge bridge = started(history(20_000));
        producer.score("rest-A", 1000, 1.0, false);
        producer.score("rest-A", 2000, 9.0, true);
        producer.anomaly("rest-A", 2000, null, AnomalyStatus.OPEN);
        producer.label("rest-A", 1500, 2500);
        producer.node("node-7", NodeLiveness.FAULTED, NodeState.BUSY, System.currentTimeMillis() - 5000);
        Await.until(WAIT, "the views caught up", () -> channel(bridge, "rest-A") != null
                && channel(bridge, "rest-A").get("labelCount").intValue() == 1
                && channel(bridge, "rest-A").get("anomalyCount").intValue() == 1
                && node(bridge, "node-7") != null);

        JsonNode a = channel(bridge, "rest-A");
        assertEquals("ANOMALY", a.get("status").textValue());
        assertEquals(1, a.get("anomalyCount").intValue());
        assertEquals(2000, a.get("openAnomaly").get("start").longValue());
        assertEquals(9.0, a.get("lastScore").get("value").doubleValue());
        JsonNode node7 = node(bridge, "node-7");
        assertEquals("FAULTED", node7.get("state").textValue());
        assertEquals("BUSY", node7.get("lastState").textValue());
        assertEquals("OPEN", get(bridge, "/api/anomalies?channel=rest-A").get("anomalies").get(0).get("status").textValue());
        assertEquals("spike", get(bridge, "/api/labels?channel=rest-A").get("labels").get(0).get("kind").textValue());

        // Streaming from a snapshot's position repeats nothing the snapshot already holds.
        String position = get(bridge, "/api/channels").get("position").textValue();
        SseStream stream = open(bridge, null, "/events?type=anomaly,node&lastEventId=" + position);
        producer.anomaly("rest-A", 2000, 3000L, AnomalyStatus.CLOSED);
        producer.node("node-7", NodeLiveness.RECOVERED, NodeState.ONLINE, System.currentTimeMillis());
        Map<String, JsonNode> got = new java.util.TreeMap<>();
        for (int i = 0; i < 2; i++) { // two topics: Kafka does not order them against each other
            SseStream.Event event = stream.nextOf(WAIT, "anomaly", "node");
            got.put(event.event(), json.readTree(event.data()));
        }
        assertEquals("CLOSED", got.get("anomaly").get("status").textValue());
        assertEquals("ONLINE", got.get("node").get("state").textValue());
        assertTrue(stream.drain(Duration.ofMillis(300)).stream().noneMatch(e -> got.containsKey(e.event())),
                "nothing the snapshot already held");
    }

    private BridgeConfig history(int size) {
        BridgeConfig base = BridgeConfig.local(kafka.bootstrapServers(), "mock://" + SCOPE);
        return base.withHub(new HubSettings(1000, size, Duration.ofSeconds(15), Duration.ofSeconds(60), 100));
    }

    private SseBridge started(BridgeConfig config) throws Exception {
        SseBridge bridge = SseBridge.start(config);
        toClose.add(bridge);
        Await.bridgeReady(WAIT, bridge.port());
        return bridge;
    }

    private SseStream open(SseBridge bridge, String lastEventId) throws Exception {
        return open(bridge, lastEventId, "/events?type=score&source=it");
    }

    private SseStream open(SseBridge bridge, String lastEventId, String path) throws Exception {
        SseStream stream = SseStream.open(http, URI.create("http://127.0.0.1:" + bridge.port() + path), lastEventId, null);
        toClose.add(stream);
        return stream;
    }

    /** Scores of six channels (on all three partitions), increasing values; "channel=value" in sending order. */
    private List<String> produce(int count) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String channel = "ch-" + (i % 6);
            clock += 1000;
            producer.score(channel, clock, clock, false);
            sent.add(channel + "=" + (double) clock);
        }
        return sent;
    }

    private List<String> values(SseStream stream, int count) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            JsonNode score = json.readTree(stream.nextOf(WAIT, "score").data());
            got.add(score.get("channelId").textValue() + "=" + score.get("value").doubleValue());
        }
        return got;
    }

    /** Kafka orders per partition, hence per channel: compare each channel's sequence. */
    private static Map<String, List<String>> byChannel(List<String> events) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (String e : events) {
            grouped.computeIfAbsent(e.substring(0, e.indexOf('=')), k -> new ArrayList<>()).add(e);
        }
        return new java.util.TreeMap<>(grouped);
    }

    private JsonNode channel(SseBridge bridge, String id) {
        try {
            return find(get(bridge, "/api/channels?channel=" + id).get("channels"), "channelId", id);
        } catch (Exception e) {
            return null;
        }
    }

    private JsonNode node(SseBridge bridge, String id) {
        try {
            return find(get(bridge, "/api/nodes").get("nodes"), "nodeId", id);
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.get(field).textValue())) {
                return item;
            }
        }
        return null;
    }

    private JsonNode get(SseBridge bridge, String path) throws Exception {
        HttpResponse<String> response = http.send(request(bridge, path), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return json.readTree(response.body());
    }

    private static HttpRequest request(SseBridge bridge, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.port() + path)).timeout(WAIT).build();
    }
}
