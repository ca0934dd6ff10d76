package io.vigil.bridge.events;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The frames one client gets that are its own rather than the shared log's: the greeting, its first
 * id, resume notices, keep-alives, and the events a catch-up reader fetched for it. Written before
 * the client's log events. Not bounded here: the catch-up reader, the only producer that could flood
 * it, paces itself with {@link #awaitBelow}; the others add a frame now and then. Thread-safe.
 */
final class ClientQueue {

    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private boolean producerWaiting;

    synchronized void offer(Frame frame) {
        frames.addLast(frame);
    }

    synchronized int size() {
        return frames.size();
    }

    /** Blocks a producer until fewer than {@code limit} frames wait. */
    synchronized boolean awaitBelow(int limit, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (frames.size() >= limit) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            producerWaiting = true;
            wait(left);
        }
        return true;
    }

    /**
     * Moves whole frames into {@code out} while they fit, adding the data events among them to
     * {@code events[0]}. A frame larger than all of {@code out} is taken and returned instead, but only
     * when nothing was moved, so the caller writes it on its own without reordering. Returns
     * {@link #PARTIAL} when frames remain that did not fit.
     */
    synchronized Frame drainInto(ByteBuffer out, long[] events) {
        try {
            while (!frames.isEmpty()) {
                Frame next = frames.peekFirst();
                if (next.length() > out.remaining()) {
                    if (out.position() == 0 && next.length() > out.capacity()) {
                        frames.pollFirst();
                        count(next, events);
                        return next;
                    }
                    return PARTIAL;
                }
                frames.pollFirst();
                out.put(next.bytes());
                count(next, events);
            }
            return null;
        } finally {
            if (producerWaiting) {
                producerWaiting = false;
                notifyAll();
            }
        }
    }

    /** Returned by {@link #drainInto} when frames are left: the buffer is full. */
    static final Frame PARTIAL = new Frame(new byte[0], false);

    private static void count(Frame frame, long[] events) {
        if (frame.event()) {
            events[0]++;
        }
    }
}
