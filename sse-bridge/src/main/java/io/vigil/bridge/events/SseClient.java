package io.vigil.bridge.events;

import io.micrometer.core.instrument.Counter;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import org.xnio.IoUtils;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One connected SSE client: a bounded queue of events not yet handed to Undertow, drained on the
 * connection's own IO thread.
 *
 * <p>Undertow's connection keeps its own unbounded queue, so handing it everything would let a stalled
 * client grow memory without limit. Instead at most {@link #WINDOW} events are outstanding inside
 * Undertow; the rest wait here, and when this queue is full the oldest waiting event is dropped.
 * Every call to {@code send} and every completion callback happens on the connection's IO thread,
 * which keeps events in order and means {@link #inFlight} needs no lock. The publisher only touches
 * the queue (under its monitor, never while calling into Undertow, so no lock-order cycle with the
 * connection's own monitor is possible).
 */
final class SseClient {

    /** Events handed to Undertow but not yet written; small, so a stalled client holds little. */
    static final int WINDOW = 8;

    private final ServerSentEventConnection connection;
    private final Executor ioThread;
    private final int capacity;
    private final ArrayDeque<SseEvent> queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final Counter sentCounter;
    private final Counter droppedCounter;
    private final Consumer<SseClient> onGone;
    private final ServerSentEventConnection.EventCallback callback = new Callback();
    private int inFlight; // IO thread only

    SseClient(ServerSentEventConnection connection, Executor ioThread, int capacity,
              Counter sentCounter, Counter droppedCounter, Consumer<SseClient> onGone) {
        this.connection = connection;
        this.ioThread = ioThread;
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 64));
        this.sentCounter = sentCounter;
        this.droppedCounter = droppedCounter;
        this.onGone = onGone;
    }

    /** Queues an event, dropping the oldest waiting one if full; never blocks on the network. */
    void offer(SseEvent event) {
        boolean overflow;
        synchronized (queue) {
            overflow = queue.size() >= capacity;
            if (overflow) {
                queue.pollFirst();
            }
            queue.addLast(event);
        }
        if (overflow) {
            dropped.incrementAndGet();
            droppedCounter.increment();
        }
        // One pending drain task per client at most, however fast events arrive.
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                ioThread.execute(this::drain);
            } catch (RuntimeException e) {
                // The IO thread is gone (server stopping): the connection is as good as closed.
                drainScheduled.set(false);
                close();
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** Ends the stream once what Undertow already holds is written. */
    void shutdown() {
        connection.shutdown();
    }

    void close() {
        IoUtils.safeClose(connection);
        onGone.accept(this);
    }

    private void drain() {
        // Cleared before pumping: an offer racing with this pump either is seen by it or schedules anew.
        drainScheduled.set(false);
        pump();
    }

    private void pump() {
        while (inFlight < WINDOW && connection.isOpen()) {
            SseEvent next;
            synchronized (queue) {
                next = queue.pollFirst();
            }
            if (next == null) {
                return;
            }
            inFlight++;
            connection.send(next.data(), next.event(), next.id(), callback);
        }
    }

    private final class Callback implements ServerSentEventConnection.EventCallback {
        @Override
        public void done(ServerSentEventConnection c, String data, String event, String id) {
            inFlight--;
            sentCounter.increment();
            pump();
        }

        @Override
        public void failed(ServerSentEventConnection c, String data, String event, String id, IOException e) {
            inFlight--;
            // Undertow's close tasks do not fire on every failure path; leaving here directly is what
            // guarantees a dead client stops receiving events.
            close();
        }
    }
}
