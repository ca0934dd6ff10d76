package io.vigil.replay.run;

import java.time.Duration;

/**
 * When a run stops on its own besides running out of data: after {@code maxPoints} points (0 = no
 * limit), or once event time passes the source's start time plus {@code duration} (null = no limit).
 */
public record RunLimits(long maxPoints, Duration duration) {

    public static RunLimits none() {
        return new RunLimits(0, null);
    }

    long endTime(long startTime) {
        return duration == null ? Long.MAX_VALUE : startTime + duration.toMillis();
    }
}
