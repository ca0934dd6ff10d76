package io.vigil.bridge.kafka;

import java.time.Duration;

/**
 * Lets one log line through per interval and counts the rest, so a topic full of bad records or a
 * broker that stays away produces a steady trickle of warnings instead of a flood.
 */
final class LogThrottle {

    private final long intervalNanos;
    private long nextAllowedAt;
    private boolean started;
    private long suppressed;

    LogThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** The number of lines suppressed since the last permitted one, or -1 if this line is suppressed. */
    synchronized long permit() {
        long now = System.nanoTime();
        if (!started || now - nextAllowedAt >= 0) {
            started = true;
            nextAllowedAt = now + intervalNanos;
            long count = suppressed;
            suppressed = 0;
            return count;
        }
        suppressed++;
        return -1;
    }
}
