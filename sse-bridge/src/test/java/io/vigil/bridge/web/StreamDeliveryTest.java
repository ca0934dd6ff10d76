package io.vigil.bridge.web;

import io.vigil.bridge.testing.Await;
import io.vigil.bridge.testing.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.vigil.bridge.web.TestServer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fan-out: order, bounded queues with announced drops, keep-alives, cleanup. */
class StreamDeliveryTest {

    @RegisterExtension
    final TestServers servers = new TestServers();
    private TestServer t;

    @Test
    void everyClientReceivesExactlyThePublishedEventsInOrder() throws Exception {
        t = servers.start(100);
        SseStream first = t.track(SseStream.open(t.http, t.uri("/events")));
        SseStream second = t.track(SseStream.open(t.http, t.uri("/events")));
        first.awaitComment(WAIT, "connected");
        second.awaitComment(WAIT, "connected");
        Await.until(WAIT, "both live", () -> first.lastEventId() != null && second.lastEventId() != null);

        t.publish(t.events.score(0, "A", "{\"n\":1}"), t.events.score(1, "B", "{\"n\":2}"));
        t.publish(t.events.score(0, "A", "{\"n\":3}"));

        for (SseStream client : List.of(first, second)) {
            for (int n = 1; n <= 3; n++) {
                SseStream.Event event = client.next(WAIT);
                assertEquals("score", event.event());
                assertEquals("{\"n\":" + n + "}", event.data());
            }
            assertTrue(client.drain(java.time.Duration.ofMillis(200)).isEmpty(), "nothing else");
        }
        assertEquals(0, t.hub.droppedCount());
        Await.until(WAIT, "sends counted", () -> t.hub.sentCount() == 6);
    }

    @Test
    void stalledClientLosesOldestEventsIsToldSoAndFastClientGetsEverything() throws Exception {
        int queueSize = 16;
        t = servers.start(queueSize);
        SseStream fast = t.track(SseStream.open(t.http, t.uri("/events")));
        Socket stalled = t.track(new Socket());
        stalled.setReceiveBufferSize(4096); // before connect, so the TCP window stays small
        stalled.connect(new InetSocketAddress("127.0.0.1", t.server.port()));
        OutputStream request = stalled.getOutputStream();
        request.write(("GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.flush();
        Await.until(WAIT, "both clients attached", () -> t.hub.clientCount() == 2);
        fast.awaitComment(WAIT, "connected");

        String payload = "x".repeat(8 * 1024);
        int batch = queueSize / 2; // the fast client's queue never overflows if it drains each batch
        int published = 0;
        // Socket buffers absorb a few MB before the stalled client's queue starts to fill.
        while (t.hub.droppedCount() == 0 && published < 40_000) {
            for (int i = 0; i < batch; i++) {
                t.publish(t.events.score(0, "A", "{\"n\":" + (published + i) + ",\"pad\":\"" + payload + "\"}"));
            }
            for (int i = 0; i < batch; i++) {
                SseStream.Event event = fast.next(WAIT);
                assertTrue(event.data().startsWith("{\"n\":" + (published + i) + ","), "fast client in order");
            }
            published += batch;
        }
        long dropped = t.hub.droppedCount();
        assertTrue(dropped > 0, "the stalled client dropped events after " + published);
        assertEquals(2, t.hub.clientCount(), "the stalled client is still connected, just behind");
        String metrics = t.get("/metrics").body();
        assertTrue(metrics.matches("(?s).*\\nvigil_bridge_events_dropped_total(\\{[^}]*})? [1-9].*"), metrics);

        // Reading now, the stalled client finds the gap announced where it is.
        Matcher announced = Pattern.compile(": dropped (\\d+) events\nevent: dropped\ndata: \\{\"dropped\":(\\d+)}")
                .matcher(readUntil(stalled, ": dropped "));
        assertTrue(announced.find());
        assertTrue(Long.parseLong(announced.group(1)) > 0);
    }

    @Test
    void closedConnectionsAreForgotten() throws Exception {
        t = servers.start(100);
        Socket socket = new Socket("127.0.0.1", t.server.port());
        socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        Await.until(WAIT, "client attached", () -> t.hub.clientCount() == 1);
        socket.close();
        // The server notices a vanished peer when it next writes: keep publishing until it does.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (t.hub.clientCount() != 0 && System.nanoTime() < deadline) {
            t.publish(t.events.score(0, "A", "{}"));
            Thread.sleep(1);
        }
        assertEquals(0, t.hub.clientCount());
        assertTrue(t.hub.reserve(), "its slot was released");
    }

    @Test
    void quietStreamsGetKeepAlives() throws Exception {
        t = servers.start(new io.vigil.bridge.events.HubSettings(10, 10, java.time.Duration.ofMillis(50),
                java.time.Duration.ofSeconds(60), 10), WebSettings.local(0));
        SseStream client = t.track(SseStream.open(t.http, t.uri("/events")));
        client.awaitComment(WAIT, "connected");
        Thread.sleep(100);
        t.hub.tick();
        Await.until(WAIT, "a keep-alive comment", () -> client.comments().contains("keep-alive"));
    }

    private static String readUntil(Socket socket, String marker) throws Exception {
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[64 * 1024];
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            int at = seen.indexOf(marker);
            if (at >= 0 && seen.indexOf("\n\n", at) > 0) {
                return seen.substring(at);
            }
            if (seen.length() > 4 * marker.length() + 200_000) {
                seen.delete(0, seen.length() - 200_000); // keep memory bounded while skimming
            }
        }
        throw new AssertionError("never saw " + marker);
    }
}
