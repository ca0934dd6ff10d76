package io.vigil.bridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test SSE client that parses the stream as EventSource does: events are dispatched at blank lines,
 * and the last event id is updated at every dispatch, including bare {@code id:} frames without data
 * (which dispatch no event). Comments are collected too.
 */
public final class SseStream implements AutoCloseable {

    /** One dispatched event; {@code id} is the stream's last event id after it. */
    public record Event(String event, String id, String data) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;
    private volatile String lastEventId;
    private volatile boolean ended;

    private SseStream(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::read, "sse-test-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static SseStream open(HttpClient client, URI uri) throws IOException, InterruptedException {
        return open(client, uri, null, null);
    }

    /** Opens a stream, as a reconnecting EventSource would when {@code lastEventId} is set. */
    public static SseStream open(HttpClient client, URI uri, String lastEventId, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            fail("status " + response.statusCode() + ": " + text);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/event-stream"), "content type " + type);
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
        return new SseStream(response.body());
    }

    /** The next event, failing the test if none arrives in time. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            fail("no event within " + timeout);
        }
        return event;
    }

    /** The next event of one of the given names, skipping others (resume, dropped, ...). */
    public Event nextOf(Duration timeout, String... names) throws InterruptedException {
        List<String> wanted = List.of(names);
        return nextMatching(timeout, e -> wanted.contains(e.event()));
    }

    public Event nextMatching(Duration timeout, Predicate<Event> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                fail("no matching event within " + timeout);
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Every event that arrives within {@code quiet} of the previous one. */
    public List<Event> drain(Duration quiet) throws InterruptedException {
        List<Event> all = new ArrayList<>();
        Event event;
        while ((event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            all.add(event);
        }
        return all;
    }

    /** Waits until the stream has carried the comment {@code text}. */
    public void awaitComment(Duration timeout, String text) throws InterruptedException {
        Await.until(timeout, "the comment '" + text + "'", () -> comments.contains(text));
    }

    /** The last event id as EventSource would send it on reconnect. */
    public String lastEventId() {
        return lastEventId;
    }

    public List<String> comments() {
        return comments;
    }

    public boolean ended() {
        return ended;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (id != null) {
                        lastEventId = id;
                    }
                    if (data != null) {
                        events.add(new Event(event == null ? "message" : event, lastEventId, data.toString()));
                    }
                    event = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> event = value;
                    case "id" -> id = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { }
                }
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
