package io.vigil.replay.run;

import io.vigil.replay.event.SendCounts;

/**
 * How a run ended: why, what was sent and acknowledged, how long it took and how far it fell behind its
 * schedule at worst. {@code lastEventTime} is {@link Long#MIN_VALUE} if nothing was sent.
 */
public record RunSummary(Reason reason, SendCounts counts, double seconds, long maxLagMs, long lastEventTime,
        Throwable failure) {

    /** Why a run ended. */
    public enum Reason { END_OF_DATA, DURATION, LIMIT, STOPPED, FAILED }

    public double ratePerSecond() {
        return counts.total() / Math.max(seconds, 1e-9);
    }
}
