package io.vigil.bridge.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpServerExchange;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Fans every published event out to the live clients that want it, and decides two things.
 *
 * <p><b>Delivery.</b> Events go once into a shared {@link EventLog}; each client reads it through its
 * own cursor on its connection's IO thread ({@link SseClient}). A client may fall at most
 * {@code queueSize} events behind; beyond that it loses its oldest unread events (counted in
 * {@value #DROPPED} and announced to it). Publishing never waits for any client and costs the same
 * for one client or a thousand, so one slow browser slows neither the others nor the Kafka consumer.
 * Clients whose socket accepts nothing for the stall timeout are closed; quiet streams get a keep-alive
 * comment.
 *
 * <p><b>Positions.</b> The hub tracks its {@link #frontier()}, the input position after the last
 * published batch. Going live happens under the same lock as publishing, at a known log sequence, so
 * a client attached at frontier F receives exactly the events after F: that is what makes a resume
 * gap- and duplicate-free (see {@link io.vigil.bridge.resume.Resumer} for the protocol).
 */
public final class FanOutHub implements AutoCloseable {

    public static final String CLIENTS = "vigil.bridge.clients";
    public static final String PUBLISHED = "vigil.bridge.events.published";
    public static final String SENT = "vigil.bridge.events.sent";
    public static final String DROPPED = "vigil.bridge.events.dropped";
    public static final String QUEUE_DEPTH = "vigil.bridge.queue.depth";
    public static final String QUEUE_DEPTH_MAX = "vigil.bridge.queue.depth.max";

    private static final Frame KEEP_ALIVE = Frame.comment("keep-alive");

    private final HubSettings settings;
    private final HubMeters meters;
    private final Object lock = new Object();
    private final Set<SseClient> connected = ConcurrentHashMap.newKeySet();
    private final Map<XnioIoThread, IoLane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger slots = new AtomicInteger();
    private final EventLog log; // appended under lock
    private volatile Position frontier = Position.EMPTY; // written under lock
    private volatile boolean closed;

    public FanOutHub(HubSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.meters = new HubMeters(registry);
        this.log = new EventLog(Math.max(settings.historySize(), settings.queueSize()), settings.historySize());
        Gauge.builder(CLIENTS, connected, Set::size).description("Connected SSE clients").register(registry);
        Gauge.builder(QUEUE_DEPTH, this, hub -> hub.queueDepth(false))
                .description("Events not yet written to clients, summed over clients").register(registry);
        Gauge.builder(QUEUE_DEPTH_MAX, this, hub -> hub.queueDepth(true))
                .description("Events not yet written to the client furthest behind").register(registry);
    }

    /** Takes one of the {@code maxClients} stream slots; false when all are taken. */
    public boolean reserve() {
        while (true) {
            int taken = slots.get();
            if (closed || taken >= settings.maxClients()) {
                return false;
            }
            if (slots.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    public void release() {
        slots.decrementAndGet();
    }

    /**
     * Wraps a reserved stream as a client (not yet live: see {@link #attachFresh} and
     * {@link #tryHandOver}). Its slot is released when it closes. Call on the exchange's IO thread.
     */
    public SseClient open(HttpServerExchange exchange, StreamSinkChannel sink, EventFilter filter) {
        IoLane lane = lanes.computeIfAbsent(exchange.getIoThread(), IoLane::new);
        SseClient client = new SseClient(exchange, sink, lane, log, filter, settings.queueSize(), meters);
        connected.add(client);
        lane.add(client);
        // Runs once (SseClient.close). The slot goes first: whoever sees the client gone may connect at once.
        client.onClose(() -> {
            release();
            lane.remove(client);
            connected.remove(client);
        });
        if (closed) {
            client.close();
        }
        return client;
    }

    /** Starts positions: the feed's first assignment, before anything is published. */
    public void begin(Position start) {
        synchronized (lock) {
            log.begin(start);
            frontier = start;
        }
    }

    /**
     * Publishes a batch: {@code after} is the input position once the batch is read (past records that
     * gave no event too). Never blocks on a client: it appends to the log and wakes the IO threads.
     */
    public void publish(List<LiveEvent> batch, Position after) {
        synchronized (lock) {
            for (LiveEvent event : batch) {
                log.append(event);
            }
            frontier = after;
        }
        if (!batch.isEmpty()) {
            for (IoLane lane : lanes.values()) {
                lane.wake();
            }
        }
        meters.published(batch.size());
    }

    /** Makes a client live from the frontier on, telling it the frontier as its first id. */
    public void attachFresh(SseClient client) {
        synchronized (lock) {
            client.offer(Frame.id(PositionCodec.encode(frontier)));
            long head = log.head();
            client.goLive(head, null, head);
        }
    }

    /**
     * Makes a client live from {@code from} if nothing it wants between {@code from} and the frontier
     * is missing from memory: the events it missed are written ahead of everything published later,
     * and events below {@code from} (where it is ahead of this hub) are not sent again. Returns how
     * many events it will be sent from memory, or -1 (and changes nothing) when memory does not reach
     * back to {@code from}. {@code notice}, if not null, makes the frame sent ahead of those events
     * from their number.
     */
    public int tryHandOver(SseClient client, Position from, IntFunction<Frame> notice) {
        synchronized (lock) {
            Set<EventType> types = client.filter().types();
            long head = log.head();
            long start;
            int missed;
            if (from.atOrPast(frontier, types)) {
                start = head;
                missed = 0;
            } else if (log.covers(from, types, frontier)) {
                start = log.historyFirst();
                missed = log.countAfter(from, client.filter());
            } else {
                return -1;
            }
            if (notice != null) {
                client.offer(notice.apply(missed));
            }
            client.goLive(start, from, head);
            return missed;
        }
    }

    /** The input position after the last published batch. */
    public Position frontier() {
        return frontier;
    }

    /** Events in memory for resumes. */
    public int historySize() {
        synchronized (lock) {
            return log.historyCount();
        }
    }

    /** Once a second: keep-alives on quiet streams, and closing clients stalled past the timeout. */
    public void tick() {
        long now = System.nanoTime();
        long keepAlive = settings.keepAlive().toNanos();
        long stall = settings.stallTimeout().toNanos();
        for (SseClient client : connected) {
            if (client.stalledLongerThan(stall, now)) {
                client.close();
            } else if (now - client.lastWriteNanos() >= keepAlive && !client.blocked()) {
                client.offer(KEEP_ALIVE);
            }
        }
    }

    public int clientCount() {
        return connected.size();
    }

    /** Events dropped so far, over all clients past and present. */
    public long droppedCount() {
        return meters.droppedCount();
    }

    /** Events written so far, over all clients past and present. */
    public long sentCount() {
        return meters.sentCount();
    }

    private double queueDepth(boolean max) {
        long total = 0;
        long largest = 0;
        for (SseClient client : connected) {
            long queued = Math.min(client.queued(), settings.queueSize());
            total += queued;
            largest = Math.max(largest, queued);
        }
        return max ? largest : total;
    }

    /** Stops accepting clients and ends every open stream. */
    @Override
    public void close() {
        closed = true;
        for (SseClient client : connected) {
            client.close();
        }
    }
}
