package io.vigil.replay.run;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Maps event time to wall time at a speed factor: the record at event time {@code t} is due
 * {@code (t - origin) / speed} after the run started. Speed 0 (or less) means as fast as possible: never
 * wait. A run that falls behind does not skip or burst-compress anything; it sends as fast as it can
 * and reports the lag.
 */
public final class Pacer {

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final double nanosPerEventMilli;
    private long startNanos;
    private long origin;

    public Pacer(double speed) {
        this.nanosPerEventMilli = speed > 0 ? 1_000_000.0 / speed : 0;
    }

    public boolean paced() {
        return nanosPerEventMilli > 0;
    }

    /** Starts the clock: event time {@code originEventTime} is due now. */
    public void start(long originEventTime) {
        origin = originEventTime;
        startNanos = System.nanoTime();
    }

    /** Wall-clock instant (nanoTime) at which {@code eventTime} is due. */
    public long dueNanos(long eventTime) {
        return startNanos + (long) ((eventTime - origin) * nanosPerEventMilli);
    }

    /**
     * Waits until {@code eventTime} is due or a stop is requested; returns how late (nanoseconds, 0 when
     * on time or unpaced) the caller is.
     */
    public long await(long eventTime, StopSignal stop) {
        if (nanosPerEventMilli == 0) {
            return 0;
        }
        long due = dueNanos(eventTime);
        long now;
        while ((now = System.nanoTime()) < due) {
            if (stop.requested()) {
                return 0;
            }
            LockSupport.parkNanos(Math.min(due - now, MAX_PARK_NANOS));
        }
        return now - due;
    }
}
