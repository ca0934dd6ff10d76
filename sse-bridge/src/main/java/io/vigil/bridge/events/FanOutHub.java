package io.vigil.bridge.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Fans every published event out to all connected SSE clients. It decides the delivery policy: each
 * client has its own queue of {@code clientQueueSize} events, a client that cannot keep up loses its
 * oldest events (counted in {@value #DROPPED}), and publishing never waits for any client, so one slow
 * browser can neither slow the others nor the Kafka consumer. Events published while nobody is
 * connected are not kept: the dashboard shows live data only.
 *
 * <p>{@link #publish} may be called from any thread; it is the entry point the Kafka feed uses and
 * tests call directly.
 */
public final class FanOutHub implements AutoCloseable {

    public static final String CLIENTS = "vigil.bridge.clients";
    public static final String PUBLISHED = "vigil.bridge.events.published";
    public static final String SENT = "vigil.bridge.events.sent";
    public static final String DROPPED = "vigil.bridge.events.dropped";

    private static final Logger log = LoggerFactory.getLogger(FanOutHub.class);

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final int clientQueueSize;
    private final Duration keepAlive;
    private final Counter published;
    private final Counter sent;
    private final Counter dropped;
    private volatile boolean closed;

    public FanOutHub(int clientQueueSize, Duration keepAlive, MeterRegistry registry) {
        if (clientQueueSize < 1) {
            throw new IllegalArgumentException("clientQueueSize must be at least 1");
        }
        this.clientQueueSize = clientQueueSize;
        this.keepAlive = keepAlive;
        this.published = Counter.builder(PUBLISHED).description("Events offered to SSE clients").register(registry);
        this.sent = Counter.builder(SENT).description("Events written to SSE clients, summed over clients").register(registry);
        this.dropped = Counter.builder(DROPPED).description("Events discarded because a client's queue was full").register(registry);
        Gauge.builder(CLIENTS, clients, Set::size).description("Connected SSE clients").register(registry);
    }

    /** Queues the event for every connected client; never blocks. */
    public void publish(String event, String id, String data) {
        publish(new SseEvent(event, id, data));
    }

    public void publish(SseEvent event) {
        published.increment();
        for (SseClient client : clients) {
            client.offer(event);
        }
    }

    /**
     * Registers a freshly opened connection. {@code ioThread} must be the connection's own IO thread:
     * all writes to the connection are then made from it.
     */
    public void attach(ServerSentEventConnection connection, Executor ioThread) {
        Objects.requireNonNull(ioThread, "the connection's IO thread");
        SseClient client = new SseClient(connection, ioThread, clientQueueSize, sent, dropped, this::detach);
        if (closed) {
            client.close();
            return;
        }
        clients.add(client);
        connection.addCloseTask(c -> detach(client));
        if (!connection.isOpen()) {
            detach(client);
            return;
        }
        connection.setKeepAliveTime(keepAlive.toMillis());
        log.atDebug().addKeyValue("clients", clients.size()).log("SSE client connected");
    }

    public int clientCount() {
        return clients.size();
    }

    /** Events dropped so far, over all clients past and present. */
    public long droppedCount() {
        return (long) dropped.count();
    }

    /** Events written so far, over all clients past and present. */
    public long sentCount() {
        return (long) sent.count();
    }

    private void detach(SseClient client) {
        if (clients.remove(client)) {
            log.atDebug().addKeyValue("dropped", client.dropped()).addKeyValue("clients", clients.size())
                    .log("SSE client gone");
        }
    }

    /** Stops accepting clients and ends every open stream. */
    @Override
    public void close() {
        closed = true;
        for (SseClient client : clients) {
            client.shutdown();
        }
        clients.clear();
    }
}
