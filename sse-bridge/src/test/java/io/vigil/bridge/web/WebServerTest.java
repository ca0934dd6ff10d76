package io.vigil.bridge.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.bridge.events.FanOutHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    private final AtomicReference<Health> health =
            new AtomicReference<>(new Health(false, Map.of("detail", "waiting for Kafka")));
    private PrometheusMeterRegistry registry;
    private FanOutHub hub;
    private WebServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private void start(int clientQueueSize) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        hub = new FanOutHub(clientQueueSize, Duration.ofSeconds(15), registry);
        server = WebServer.start("127.0.0.1", 0, hub, health::get, registry);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void everyClientReceivesExactlyThePublishedEventsInOrder() throws Exception {
        start(100);
        SseStream first = track(SseStream.open(http, uri("/events")));
        SseStream second = track(SseStream.open(http, uri("/events")));
        await(() -> hub.clientCount() == 2, "both clients attached");

        hub.publish("score", "0-1", "{\"n\":1}");
        hub.publish("score", "0-2", "{\"n\":2}");
        hub.publish("score", "1-7", "{\"n\":3}");
        // A sentinel: if anything else had been sent, it would arrive before this.
        hub.publish("end", "x", "{}");

        for (SseStream client : List.of(first, second)) {
            assertEquals(new SseStream.Event("score", "0-1", "{\"n\":1}"), client.next(WAIT));
            assertEquals(new SseStream.Event("score", "0-2", "{\"n\":2}"), client.next(WAIT));
            assertEquals(new SseStream.Event("score", "1-7", "{\"n\":3}"), client.next(WAIT));
            assertEquals(new SseStream.Event("end", "x", "{}"), client.next(WAIT));
        }
        assertEquals(0, hub.droppedCount());
        await(() -> hub.sentCount() == 8, "sends completed");
    }

    @Test
    void stalledClientLosesOldestEventsWhileFastClientGetsEverything() throws Exception {
        int queueSize = 16;
        start(queueSize);
        SseStream fast = track(SseStream.open(http, uri("/events")));
        Socket stalled = track(new Socket());
        stalled.setReceiveBufferSize(4096); // before connect, so the TCP window stays small
        stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
        OutputStream request = stalled.getOutputStream();
        request.write(("GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.flush();
        await(() -> hub.clientCount() == 2, "both clients attached");

        String payload = "x".repeat(8 * 1024);
        int batch = queueSize / 2; // the fast client's queue never overflows if it drains each batch
        int published = 0;
        // Socket buffers absorb a few MB before the stalled client's queue starts to fill.
        while (hub.droppedCount() == 0 && published < 40_000) {
            for (int i = 0; i < batch; i++) {
                hub.publish("score", "0-" + (published + i), payload);
            }
            for (int i = 0; i < batch; i++) {
                SseStream.Event event = fast.next(WAIT);
                assertEquals("0-" + (published + i), event.id(), "fast client saw every event in order");
            }
            published += batch;
        }

        assertTrue(hub.droppedCount() > 0, "the stalled client dropped events after " + published);
        assertEquals(2, hub.clientCount(), "the stalled client is still connected, just behind");
        String metrics = get("/metrics").body();
        assertTrue(metrics.matches("(?s).*\\nvigil_bridge_events_dropped_total(\\{[^}]*})? [1-9].*"), metrics);
    }

    @Test
    void closedConnectionsAreForgotten() throws Exception {
        start(100);
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        await(() -> hub.clientCount() == 1, "client attached");
        socket.close();
        // Undertow notices a vanished peer when it next writes: keep publishing until it does.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hub.clientCount() != 0 && System.nanoTime() < deadline) {
            hub.publish("score", "0-0", "{}");
            Thread.onSpinWait();
        }
        assertEquals(0, hub.clientCount());
    }

    @Test
    void healthSaysStartingWith503ThenReady() throws Exception {
        start(10);
        HttpResponse<String> starting = get("/health");
        assertEquals(503, starting.statusCode());
        assertEquals("application/json", starting.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"status\":\"starting\",\"detail\":\"waiting for Kafka\"}", starting.body());

        health.set(new Health(true, Map.of("partitions", 4, "clients", 0)));
        HttpResponse<String> ready = get("/health");
        assertEquals(200, ready.statusCode());
        assertEquals("{\"status\":\"ready\",\"clients\":0,\"partitions\":4}", ready.body());
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        start(10);
        hub.publish("score", "0-0", "{}");
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String body = response.body();
        for (String name : List.of("vigil_bridge_clients ", "vigil_bridge_events_published_total 1.0",
                "vigil_bridge_events_sent_total ", "vigil_bridge_events_dropped_total ")) {
            assertTrue(body.contains(name), name + " in\n" + body);
        }
    }

    @Test
    void servesTheDashboardAndItsAssets() throws Exception {
        start(10);
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/webjars/uplot/dist/uPlot.iife.min.js\"></script>"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));

        HttpResponse<String> script = get("/dashboard.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("new EventSource('/events')"));

        HttpResponse<String> uplot = get("/webjars/uplot/dist/uPlot.iife.min.js");
        assertEquals(200, uplot.statusCode());
        assertEquals("application/javascript", uplot.headers().firstValue("Content-Type").orElse(""));
        assertTrue(uplot.body().contains("uPlot"));
        assertTrue(uplot.body().length() > 40_000, "the minified bundle, not a stub");

        HttpResponse<String> css = get("/webjars/uplot/dist/uPlot.min.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));

        assertEquals(404, get("/nope.html").statusCode());
        assertEquals(404, get("/webjars/uplot/package.jsonx").statusCode());
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws Exception {
        start(10);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
