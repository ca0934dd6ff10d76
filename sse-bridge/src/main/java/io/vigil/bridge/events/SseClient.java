package io.vigil.bridge.events;

import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open {@code /events} response, written by the bridge itself rather than through Undertow's SSE
 * connection, which would re-encode every event per client and keep an unbounded queue of its own.
 *
 * <p>It decides how bytes reach one browser: first the client's own frames ({@link ClientQueue}),
 * then the shared log through its {@link LogCursor}; as many whole frames as fit are copied into the
 * lane's buffer and written in one go, and what the socket does not take is kept until it becomes
 * writable. Meanwhile the cursor, not a queue, marks how far behind the client is, so a stalled
 * browser costs memory for at most one partial write.
 *
 * <p>Threads: {@link #pump} and the write state run on the connection's IO thread only; the hub sets
 * the starting point in {@link #goLive} before publishing {@code live}; offers come from any thread.
 */
public final class SseClient {

    private static final Logger log = LoggerFactory.getLogger(SseClient.class);

    /** Bytes one client may write per turn before yielding to the others of its lane. */
    static final int TURN_BYTES = 256 * 1024;

    private final HttpServerExchange exchange;
    private final StreamSinkChannel sink;
    private final IoLane lane;
    private final EventFilter filter;
    private final LogCursor cursor;
    private final ClientQueue queue = new ClientQueue();
    private final HubMeters meters;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable onClose = () -> { };
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile boolean blocked;
    private volatile boolean live;
    private ByteBuffer leftover; // IO thread only

    SseClient(HttpServerExchange exchange, StreamSinkChannel sink, IoLane lane, EventLog shared, EventFilter filter,
              int window, HubMeters meters) {
        this.exchange = exchange;
        this.sink = sink;
        this.lane = lane;
        this.filter = filter;
        this.cursor = new LogCursor(shared, filter, window, meters);
        this.meters = meters;
        sink.getWriteSetter().set(channel -> {
            channel.suspendWrites();
            blocked = false;
            pump();
        });
        sink.getCloseSetter().set(channel -> close());
        exchange.getConnection().addCloseListener(connection -> close());
    }

    public EventFilter filter() {
        return filter;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Queues one frame of this client's own, ahead of further log events, and schedules a write. */
    public void offer(Frame frame) {
        queue.offer(frame);
        lane.wake();
    }

    /** Blocks a catch-up reader until fewer than {@code limit} of this client's own frames wait. */
    public boolean awaitRoom(int limit, long timeoutMillis) throws InterruptedException {
        return queue.awaitBelow(limit, timeoutMillis);
    }

    /**
     * From now on the client reads the log from sequence {@code from}, skipping events below
     * {@code floor} (null: none); events before {@code protect} are a hand-over and are not dropped
     * for lateness. Called under the hub's lock.
     */
    void goLive(long from, Position floor, long protect) {
        cursor.start(from, floor, protect);
        live = true; // publishes the cursor's starting point to the IO thread
        lane.wake();
    }

    /** Events not yet written: own frames plus unread log events. */
    long queued() {
        return queue.size() + (live ? cursor.behind() : 0);
    }

    long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Whether the socket has refused bytes for longer than {@code nanos}. */
    boolean stalledLongerThan(long nanos, long now) {
        return blocked && now - lastWriteNanos > nanos;
    }

    /** Waiting for the socket: its write listener, not the lane, resumes it. */
    boolean blocked() {
        return blocked;
    }

    /** For a client waiting on its socket: counts what it loses now rather than when it reads again. */
    void dropIfBehind() {
        if (live) {
            cursor.dropIfBehind();
        }
    }

    void onClose(Runnable task) {
        this.onClose = task;
    }

    /** Ends the stream and the connection (from any thread); idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            lane.execute(() -> IoUtils.safeClose(exchange.getConnection()));
        } catch (RuntimeException e) {
            IoUtils.safeClose(exchange.getConnection());
        }
        onClose.run();
    }

    /** Writes what the socket takes; IO thread only. */
    void pump() {
        if (closed.get()) {
            return;
        }
        try {
            int budget = TURN_BYTES;
            long[] events = new long[1];
            while (true) {
                if (leftover != null) {
                    budget -= write(leftover);
                    if (leftover.hasRemaining()) {
                        awaitWritable();
                        return;
                    }
                    leftover = null;
                }
                if (budget <= 0) {
                    lane.wake(); // the others on this thread get their turn first
                    return;
                }
                ByteBuffer buffer = lane.buffer();
                buffer.clear();
                events[0] = 0;
                Frame oversized = fill(buffer, events);
                meters.sent(events[0]);
                ByteBuffer out;
                if (oversized != null) {
                    out = ByteBuffer.wrap(oversized.bytes());
                } else if (buffer.position() > 0) {
                    buffer.flip();
                    out = buffer;
                } else {
                    if (!sink.flush()) {
                        awaitWritable();
                    }
                    return;
                }
                budget -= write(out);
                if (out.hasRemaining()) {
                    // The lane's buffer is shared: keep our unwritten rest in a buffer of our own.
                    leftover = out == buffer ? copyOf(out) : out;
                    awaitWritable();
                    return;
                }
            }
        } catch (IOException e) {
            close(); // the peer went away: the normal end of a stream
        } catch (RuntimeException e) {
            log.warn("closing an event stream after an unexpected error", e);
            close();
        }
    }

    private Frame fill(ByteBuffer out, long[] events) {
        Frame own = queue.drainInto(out, events);
        if (own != null) {
            return own == ClientQueue.PARTIAL ? null : own;
        }
        return live ? cursor.fill(out, events) : null;
    }

    private int write(ByteBuffer out) throws IOException {
        int written = sink.write(out);
        if (written > 0) {
            lastWriteNanos = System.nanoTime();
        }
        return written;
    }

    private void awaitWritable() {
        if (!blocked) {
            blocked = true;
            lastWriteNanos = System.nanoTime();
        }
        sink.resumeWrites();
    }

    private static ByteBuffer copyOf(ByteBuffer rest) {
        ByteBuffer copy = ByteBuffer.allocate(rest.remaining());
        copy.put(rest).flip();
        return copy;
    }
}
