package io.vigil.replay.simulate;

/**
 * When a member's next anomaly starts: a Poisson process at {@code perHour} anomalies per simulated
 * hour, re-armed from the end of each anomaly, so anomalies of one member never overlap. A rate of 0
 * means never.
 */
final class AnomalyClock {

    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private final Rng rng;
    private final double meanGapMillis;
    private long next;

    AnomalyClock(Rng rng, double perHour, long from) {
        this.rng = rng;
        this.meanGapMillis = perHour > 0 ? MILLIS_PER_HOUR / perHour : Double.POSITIVE_INFINITY;
        rearm(from);
    }

    boolean due(long time) {
        return time >= next;
    }

    void rearm(long from) {
        next = Double.isInfinite(meanGapMillis) || from == Long.MAX_VALUE ? Long.MAX_VALUE
                : from + Math.max(1, Math.round(rng.exponential(meanGapMillis)));
    }
}
