package io.vigil.bridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.testing.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.vigil.bridge.web.TestServer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer tokens, CORS, the connection limit and validation of everything a client sends. */
class SecurityTest {

    private static final String TOKEN = "s3cret-token-of-enough-length";

    private final ObjectMapper json = new ObjectMapper();
    @RegisterExtension
    final TestServers servers = new TestServers();
    private TestServer t;

    @Test
    void withATokenEveryDataRouteNeedsItAndOnlyTheStreamTakesItFromTheQuery() throws Exception {
        t = servers.start(hub(10), new WebSettings("127.0.0.1", 0, TOKEN, Set.of(), 100, 200));
        for (String path : List.of("/events", "/api/channels", "/api/nodes", "/api/anomalies", "/api/labels", "/api/history?channel=a",
                "/metrics")) {
            HttpResponse<String> refused = t.get(path);
            assertEquals(401, refused.statusCode(), path);
            assertEquals("Bearer realm=\"vigil\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals("a valid bearer token is required", json.readTree(refused.body()).get("error").textValue());
            assertEquals(401, t.get(path, "Authorization", "Bearer wrong-token-wrong-token").statusCode(), path);
        }
        assertEquals(200, t.get("/api/channels", "Authorization", "Bearer " + TOKEN).statusCode());
        assertEquals(200, t.get("/metrics", "Authorization", "bearer " + TOKEN).statusCode());
        assertEquals(401, t.get("/api/channels?access_token=" + TOKEN).statusCode(), "query tokens only on /events");
        assertEquals(503, t.get("/health").statusCode(), "health answers without a token");
        assertEquals(200, t.get("/").statusCode(), "the page itself holds no data");

        t.track(SseStream.open(t.http, t.uri("/events?access_token=" + TOKEN))).awaitComment(WAIT, "connected");
        t.track(SseStream.open(t.http, t.uri("/events"), null, TOKEN)).awaitComment(WAIT, "connected");
    }

    @Test
    void corsGrantsListedOriginsOnly() throws Exception {
        t = servers.start(hub(10), new WebSettings("127.0.0.1", 0, null, Set.of("https://ops.example"), 100, 200));
        HttpResponse<String> listed = t.get("/api/nodes", "Origin", "https://ops.example");
        assertEquals("https://ops.example", listed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("Origin", listed.headers().firstValue("Vary").orElse(""));
        HttpResponse<String> other = t.get("/api/nodes", "Origin", "https://evil.example");
        assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());

        HttpResponse<String> preflight = t.http.send(HttpRequest.newBuilder(t.uri("/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://ops.example").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        HttpResponse<String> refused = t.http.send(HttpRequest.newBuilder(t.uri("/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode());
    }

    @Test
    void streamsBeyondTheLimitGet503() throws Exception {
        t = servers.start(hub(2), WebSettings.local(0));
        t.track(SseStream.open(t.http, t.uri("/events"))).awaitComment(WAIT, "connected");
        SseStream second = t.track(SseStream.open(t.http, t.uri("/events")));
        second.awaitComment(WAIT, "connected");
        HttpResponse<String> third = t.get("/events");
        assertEquals(503, third.statusCode());
        assertEquals("too many clients", json.readTree(third.body()).get("error").textValue());
        assertEquals("10", third.headers().firstValue("Retry-After").orElse(""));

        second.close();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (t.hub.clientCount() > 1 && System.nanoTime() < deadline) {
            t.hub.tick(); // closed sockets are noticed on the next write
            t.publish(t.events.score(0, "A", "{}"));
            Thread.sleep(20);
        }
        t.track(SseStream.open(t.http, t.uri("/events"))).awaitComment(WAIT, "connected");
    }

    @Test
    void badRequestsAreRefusedWith400AndAReason() throws Exception {
        t = servers.start(hub(10), new WebSettings("127.0.0.1", 0, null, Set.of(), 3, 10));
        assertBad("/events?type=score,bogus", "unknown type; allowed: score, anomaly, node, label");
        assertBad("/events?channel=a,b&channel=c,d", "too many values for 'channel': at most 3");
        assertBad("/events?channel=abcdefghijk", "a value of 'channel' is longer than 10 characters");
        assertBad("/events?channel=a%0Ab", "a value of 'channel' contains a control character");
        assertBad("/events?chanel=a", "unknown parameter 'chanel'; allowed: type, channel, source, lastEventId");
        assertBad("/events?lastEventId=AQ", "Last-Event-ID is not an id this bridge issued: event id is truncated");
        HttpResponse<String> badHeader = t.get("/events", "Last-Event-ID", "!!");
        assertEquals(400, badHeader.statusCode());
        assertBad("/api/channels?limit=lots", "'limit' must be a whole number");
        assertBad("/api/anomalies?channel=a&channel=b", "'channel' may be given once");
        assertEquals(0, t.hub.clientCount());
        t.track(SseStream.open(t.http, t.uri("/events?type=score&type=node&channel=a,b&source=x")))
                .awaitComment(Duration.ofSeconds(5), "connected");
    }

    private void assertBad(String path, String message) throws Exception {
        HttpResponse<String> response = t.get(path);
        assertEquals(400, response.statusCode(), path);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(message, json.readTree(response.body()).get("error").textValue(), path);
    }

    private static HubSettings hub(int maxClients) {
        return new HubSettings(100, 100, Duration.ofSeconds(15), Duration.ofSeconds(60), maxClients);
    }
}
