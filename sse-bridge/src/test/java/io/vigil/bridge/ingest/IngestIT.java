package io.vigil.bridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.TelemetryPoint;
import io.vigil.bridge.BridgeConfig;
import io.vigil.bridge.SseBridge;
import io.vigil.bridge.testing.Await;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.it.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP ingest against a real broker: every answer of {@code POST /api/v1/telemetry}, and what reaches
 * the telemetry topic, read as the scorer reads it (read_committed): every accepted point exactly once,
 * nothing of a refused batch.
 */
class IngestIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SCOPE = "ingest-it-" + UUID.randomUUID();
    private static final String READ_TOKEN = "read-token-0123456789";
    private static final String WRITE_TOKEN = "write-token-0123456789";
    private static EmbeddedKafka kafka;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void broker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(3);
    }

    @AfterAll
    static void stopBroker() throws Exception {
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
    void everyAcceptedPointReachesTheTopicOnceAndNothingOfARefusedBatchDoes() throws Exception {
        SseBridge bridge = started(config(kafka.bootstrapServers(), settings(null, IngestSettings.DEFAULT_MAX_POINTS,
                IngestSettings.DEFAULT_MAX_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(5))));
        Random random = new Random(42);
        List<String> expected = new ArrayList<>();
        int refusedBatches = 0;
        int refusedPoints = 0;
        for (int batch = 0; batch < 30; batch++) {
            int size = 1 + random.nextInt(40);
            int bad = random.nextInt(3) == 0 ? random.nextInt(size) : -1;
            StringBuilder body = new StringBuilder("{\"points\":[");
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String channel = "it/ingest/c" + random.nextInt(7);
                long time = 1_700_000_000_000L + batch * 1000L + i;
                double value = random.nextGaussian();
                body.append(i == 0 ? "" : ",");
                if (i == bad) {
                    body.append("{\"channel\":\"").append(channel).append("\",\"time\":").append(time)
                            .append(",\"value\":\"not a number\"}");
                } else {
                    // Both spellings of time: epoch milliseconds, and ISO-8601 for every other row.
                    String t = i % 2 == 0 ? Long.toString(time) : "\"" + java.time.Instant.ofEpochMilli(time) + "\"";
                    body.append("{\"channel\":\"").append(channel).append("\",\"time\":").append(t)
                            .append(",\"value\":").append(value).append('}');
                }
                rows.add(channel + "@" + time + "=" + value);
            }
            body.append("]}");
            HttpResponse<String> answer = post(bridge, body.toString(), null);
            if (bad >= 0) {
                refusedBatches++;
                refusedPoints += size;
                assertEquals(422, answer.statusCode(), answer.body());
                JsonNode errors = json.readTree(answer.body()).get("errors");
                assertEquals(1, errors.size(), answer.body());
                assertEquals(bad, errors.get(0).get("row").asInt());
                assertEquals("value", errors.get(0).get("field").asText());
            } else {
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals(size, json.readTree(answer.body()).get("accepted").asInt());
                expected.addAll(rows);
            }
        }
        assertTrue(refusedBatches > 0 && refusedBatches < 30, "the seed mixes accepted and refused batches");

        List<TelemetryPoint> written = kafka.readCommitted(Topics.TELEMETRY.name(),
                AvroSerde.configured(TelemetryPoint.class, java.util.Map.of("schema.registry.url", "mock://" + SCOPE), false)
                        .deserializer(), expected.size() + 1, Duration.ofSeconds(3));
        // The other tests write to the same topic under channels of their own.
        List<TelemetryPoint> ours = written.stream().filter(p -> p.getChannelId().startsWith("it/ingest/")).toList();
        List<String> seen = ours.stream()
                .map(p -> p.getChannelId() + "@" + p.getEventTime().toEpochMilli() + "=" + p.getValue()).sorted().toList();
        assertEquals(expected.size(), seen.size(), "as many points as were accepted");
        assertEquals(expected.stream().sorted().toList(), seen, "exactly the accepted points, each once");
        assertTrue(ours.stream().allMatch(p -> PointBatch.DEFAULT_SOURCE.equals(p.getSource())));

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("vigil_ingest_requests_seconds_count{status=\"200\"} " + (30 - refusedBatches) + "\n"), metrics);
        assertTrue(metrics.contains("vigil_ingest_requests_seconds_count{status=\"422\"} " + refusedBatches + "\n"), metrics);
        assertTrue(metrics.contains("vigil_ingest_points_total{outcome=\"accepted\"} " + expected.size() + ".0"), metrics);
        assertTrue(metrics.contains("vigil_ingest_points_total{outcome=\"refused\"} " + refusedPoints + ".0"), metrics);
    }

    @Test
    void malformedOversizedAndWrongMethodRequestsAreRefusedWithTheirOwnStatus() throws Exception {
        IngestSettings small = settings(null, 3, 2048, Duration.ofSeconds(5), Duration.ofSeconds(7));
        SseBridge bridge = started(config(kafka.bootstrapServers(), small));
        assertEquals(400, post(bridge, "not json", null).statusCode());
        assertEquals(400, post(bridge, "{\"points\":[]}", null).statusCode(), "an empty batch");
        assertEquals(400, post(bridge, "{\"rows\":[]}", null).statusCode(), "no points array");
        String oversized = "{\"points\":[" + "1,".repeat(2000) + "1]}";
        assertEquals(413, post(bridge, oversized, null).statusCode(), "declared too large");
        HttpResponse<String> streamed = http.send(HttpRequest.newBuilder(uri(bridge)).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        oversized.repeat(16).getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, streamed.statusCode(), "chunked, found too large while reading");
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(uri(bridge)).timeout(WAIT)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"points\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, form.statusCode(), "what a page could post without a preflight is refused");
        byte[] latin1 = "{\"points\":[{\"channel\":\"caf\u00e9\",\"time\":1,\"value\":1}]}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(400, http.send(HttpRequest.newBuilder(uri(bridge)).timeout(WAIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "not UTF-8");

        HttpResponse<String> tooMany = post(bridge, "{\"points\":[" + point("a", 1) + "," + point("a", 2) + "," + point("a", 3)
                + "," + point("a", 4) + "]}", null);
        assertEquals(422, tooMany.statusCode());
        JsonNode beyond = json.readTree(tooMany.body()).get("errors");
        assertEquals(1, beyond.size(), "one error for the rows beyond the limit");
        assertEquals(3, beyond.get(0).get("row").asInt());
        assertEquals("points", beyond.get(0).get("field").asText());
        assertEquals(1, json.readTree(tooMany.body()).get("refused").asInt());

        HttpResponse<String> rows = post(bridge, "{\"points\":[{\"time\":1,\"value\":1},"
                + "{\"channel\":\"x\",\"time\":\"yesterday\",\"value\":1},"
                + "{\"channel\":\"x\",\"time\":1,\"value\":1e400}]}", null);
        assertEquals(422, rows.statusCode());
        JsonNode errors = json.readTree(rows.body()).get("errors");
        assertEquals(List.of("0 channel missing channel", "1 time bad time", "2 value non-finite value"),
                List.of(brief(errors.get(0)), brief(errors.get(1)), brief(errors.get(2))));

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri(bridge)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void withATokenAWriteNeedsItAndTheReadTokenDoesNotGrantWrites() throws Exception {
        IngestSettings own = settings(WRITE_TOKEN, 100, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(5));
        BridgeConfig base = config(kafka.bootstrapServers(), own);
        SseBridge bridge = started(base.withWeb(new io.vigil.bridge.web.WebSettings(base.web().host(), 0, READ_TOKEN,
                java.util.Set.of(), 100, 200)));
        String body = "{\"points\":[" + point("it/auth", 1_700_000_000_000L) + "]}";
        assertEquals(401, post(bridge, body, null).statusCode());
        assertEquals(401, post(bridge, body, READ_TOKEN).statusCode());
        assertEquals(200, post(bridge, body, WRITE_TOKEN).statusCode());
    }

    @Test
    void whenKafkaIsAwayTheBatchIsRefusedWith503AndRetryAfter() throws Exception {
        String nobody;
        try (ServerSocket free = new ServerSocket(0)) {
            nobody = "127.0.0.1:" + free.getLocalPort();
        }
        IngestSettings quick = settings(null, 100, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(9));
        SseBridge bridge = SseBridge.start(config(nobody, quick));
        toClose.add(bridge);
        HttpResponse<String> answer = post(bridge, "{\"points\":[" + point("it/away", 1_700_000_000_000L) + "]}", null);
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("9", answer.headers().firstValue("Retry-After").orElse(""));
        assertTrue(answer.body().contains("Kafka"), answer.body());
    }

    private static String brief(JsonNode error) {
        String reason = error.get("reason").asText();
        String[] words = reason.split("[ :]+");
        return error.get("row").asInt() + " " + error.get("field").asText() + " " + words[0] + " " + words[1];
    }

    private static String point(String channel, long time) {
        return "{\"channel\":\"" + channel + "\",\"time\":" + time + ",\"value\":1.5}";
    }

    /** Ingest on, with one producer whose transactional ids are this test's own. */
    private static IngestSettings settings(String token, int maxPoints, int maxBytes, Duration kafkaTimeout, Duration retryAfter) {
        return new IngestSettings(true, token, maxPoints, maxBytes, 1, kafkaTimeout, retryAfter, "it-" + UUID.randomUUID());
    }

    private BridgeConfig config(String bootstrap, IngestSettings ingest) {
        return BridgeConfig.local(bootstrap, "mock://" + SCOPE).withIngest(ingest);
    }

    private SseBridge started(BridgeConfig config) throws Exception {
        SseBridge bridge = SseBridge.start(config);
        toClose.add(bridge);
        Await.bridgeReady(WAIT, bridge.port());
        return bridge;
    }

    private static URI uri(SseBridge bridge) {
        return URI.create("http://127.0.0.1:" + bridge.port() + IngestHandler.PATH);
    }

    private HttpResponse<String> post(SseBridge bridge, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(bridge)).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
