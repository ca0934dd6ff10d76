package io.vigil.bridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.PositionCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebServerTest {

    private final ObjectMapper json = new ObjectMapper();
    @RegisterExtension
    final TestServers servers = new TestServers();
    private TestServer t;

    @Test
    void healthSaysStartingWith503ThenCatchingUpThenReady() throws Exception {
        t = servers.start(10);
        HttpResponse<String> starting = t.get("/health");
        assertEquals(503, starting.statusCode());
        assertEquals("application/json", starting.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"status\":\"starting\",\"detail\":\"waiting for Kafka\"}", starting.body());

        t.health.set(new Health("catching up", false, Map.of("lag", 120)));
        assertEquals(503, t.get("/health").statusCode());
        assertEquals("{\"status\":\"catching up\",\"lag\":120}", t.get("/health").body());

        t.health.set(new Health("ready", true, Map.of("partitions", 4, "clients", 0, "lag", 0)));
        HttpResponse<String> ready = t.get("/health");
        assertEquals(200, ready.statusCode());
        assertEquals("{\"status\":\"ready\",\"clients\":0,\"lag\":0,\"partitions\":4}", ready.body());
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        t = servers.start(10);
        t.publish(t.events.score(0, "A", "{}"));
        HttpResponse<String> response = t.get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String body = response.body();
        for (String name : List.of("vigil_bridge_clients ", "vigil_bridge_events_published_total 1.0",
                "vigil_bridge_events_sent_total ", "vigil_bridge_events_dropped_total ",
                "vigil_bridge_queue_depth ", "vigil_bridge_queue_depth_max ", "vigil_bridge_resumes_total{via=\"kafka\"}")) {
            assertTrue(body.contains(name), name + " in\n" + body);
        }
    }

    @Test
    void servesTheDashboardAndItsAssets() throws Exception {
        t = servers.start(10);
        HttpResponse<String> page = t.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/webjars/uplot/dist/uPlot.iife.min.js\"></script>"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));

        HttpResponse<String> script = t.get("/dashboard.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("new EventSource("));
        for (String js : List.of("/dashboard.js", "/state.js", "/fleet.js", "/channel.js", "/nodes.js")) {
            HttpResponse<String> file = t.get(js);
            assertEquals(200, file.statusCode(), js);
            assertTrue(page.body().contains("<script src=\"" + js + "\"></script>"), js + " is loaded");
            for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")) {
                assertTrue(!file.body().contains(sink), js + ": text from the data never goes through " + sink);
            }
        }

        HttpResponse<String> uplot = t.get("/webjars/uplot/dist/uPlot.iife.min.js");
        assertEquals(200, uplot.statusCode());
        assertEquals("application/javascript", uplot.headers().firstValue("Content-Type").orElse(""));
        assertTrue(uplot.body().length() > 40_000, "the minified bundle, not a stub");
        assertTrue(t.get("/webjars/uplot/dist/uPlot.min.css").headers().firstValue("Content-Type").orElse("")
                .startsWith("text/css"));

        assertEquals(404, t.get("/nope.html").statusCode());
        assertEquals(404, t.get("/webjars/uplot/package.jsonx").statusCode());
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws Exception {
        t = servers.start(10);
        HttpResponse<String> post = t.http.send(HttpRequest.newBuilder(t.uri("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        assertEquals("only GET and HEAD", json.readTree(post.body()).get("error").textValue());
    }

    @Test
    void apiAnswersWithTheViewsAndThePositionTheyReflect() throws Exception {
        t = servers.start(10);
        t.views.apply(EventType.SCORE, ChannelScore.newBuilder().setChannelId("P-1").setSource("smap")
                .setEventTime(Instant.ofEpochMilli(1000)).setValue(1.5).setForecast(1.0).setError(0.5)
                .setSmoothedError(0.25).setThreshold(Double.NaN).setAnomalous(false).setDetector(Detector.BASELINE)
                .build(), 2000);
        t.publish(t.events.score(1, "P-1", "{}"));

        HttpResponse<String> answer = t.get("/api/channels");
        assertTrue(answer.headers().firstValue("Date").isPresent(), "the dashboard reads the bridge's clock from it");
        JsonNode channels = json.readTree(answer.body());
        assertEquals(PositionCodec.encode(t.position()), channels.get("position").textValue());
        JsonNode p1 = channels.get("channels").get(0);
        assertEquals("P-1", p1.get("channelId").textValue());
        assertEquals("WARMING_UP", p1.get("status").textValue());
        assertTrue(p1.get("lastScore").get("threshold").isNull());
        assertEquals(1.5, p1.get("spark").get(0).doubleValue());
        assertEquals(0, json.readTree(t.get("/api/channels?channel=other").body()).get("channels").size());
        assertEquals(0, json.readTree(t.get("/api/nodes").body()).get("nodes").size());
        assertEquals(0, json.readTree(t.get("/api/anomalies?channel=P-1&limit=5").body()).get("anomalies").size());
        assertEquals(0, json.readTree(t.get("/api/labels").body()).get("labels").size());

        JsonNode history = json.readTree(t.get("/api/history?channel=P-1").body()).get("history");
        assertEquals("P-1", history.get("channelId").textValue());
        assertEquals(1000, history.get("eventTime").get(0).longValue());
        assertEquals(1.5, history.get("value").get(0).doubleValue());
        assertEquals(0.25, history.get("smoothedError").get(0).doubleValue());
        assertTrue(history.get("threshold").get(0).isNull());
        assertTrue(json.readTree(t.get("/api/history?channel=other").body()).get("history").isNull());
        assertEquals("'channel' is required", json.readTree(t.get("/api/history").body()).get("error").textValue());

        HttpResponse<String> bad = t.get("/api/anomalies?limit=0");
        assertEquals(400, bad.statusCode());
        assertEquals("'limit' must be 1..1000", json.readTree(bad.body()).get("error").textValue());
    }
}
