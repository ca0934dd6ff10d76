package io.vigil.bridge.events;

import org.xnio.XnioIoThread;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clients served by one Undertow IO thread. Publishing wakes the lane, not its clients: one
 * wake-up (a selector syscall) per batch however many clients there are, after which the lane lets
 * each client write what it has. It also decides how often clients are written to: at most once per
 * {@link #MIN_INTERVAL_NANOS} (50 ms), so under load each write carries many events: the syscalls
 * and loopback TCP work per write, on both ends, are what limit fan-out on a small machine (the
 * benchmark's p99 fell from ~360 ms at 20 ms to ~190 ms at 50 ms, and the bridge's CPU by a third),
 * while an event after a quiet spell goes out at once. 50 ms is invisible on a dashboard that
 * redraws four times a second. The lane owns the direct buffer its clients' frames are gathered into, so a write is one
 * syscall with no further copy.
 */
final class IoLane {

    static final int BUFFER_BYTES = 64 * 1024;
    static final long MIN_INTERVAL_NANOS = 50_000_000L;

    private final XnioIoThread thread;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private volatile long lastRun = System.nanoTime() - MIN_INTERVAL_NANOS;

    IoLane(XnioIoThread thread) {
        this.thread = thread;
    }

    void add(SseClient client) {
        clients.add(client);
    }

    void remove(SseClient client) {
        clients.remove(client);
    }

    /**
     * Schedules a run of this lane's clients; cheap when one is already scheduled. From another thread
     * this only queues {@link #schedule} on the IO thread: XNIO's {@code executeAfter} called from
     * outside can miss the selector's wake-up (the IO thread may be between computing its select
     * timeout and selecting), and the lost run would leave every client of the lane unwritten, and
     * dead peers unnoticed, until something else woke the thread. {@code execute} has no such gap.
     */
    void wake() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(this::schedule);
        } catch (RuntimeException e) {
            // The IO thread is gone (server stopping): nothing can be written any more.
            scheduled.set(false);
        }
    }

    /** On the IO thread: runs now, or sets the timer for the end of the minimum interval. */
    private void schedule() {
        long wait = lastRun + MIN_INTERVAL_NANOS - System.nanoTime();
        try {
            if (wait <= 0) {
                run();
            } else {
                thread.executeAfter(this::run, wait, TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException e) {
            scheduled.set(false);
        }
    }

    /** Runs a task on the lane's thread. */
    void execute(Runnable task) {
        thread.execute(task);
    }

    /** The scratch buffer; only valid on the lane's thread, and only until the caller returns. */
    ByteBuffer buffer() {
        return buffer;
    }

    private void run() {
        lastRun = System.nanoTime();
        // Cleared first: a wake while this runs schedules the next run rather than being lost.
        scheduled.set(false);
        for (SseClient client : clients) {
            if (client.blocked()) {
                client.dropIfBehind(); // its write listener resumes it; the count should not wait
            } else {
                client.pump();
            }
        }
    }
}
