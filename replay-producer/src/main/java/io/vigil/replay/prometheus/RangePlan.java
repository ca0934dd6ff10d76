package io.vigil.replay.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * How a range {@code [start, end]} is read at a step without any query exceeding Prometheus' limit of
 * {@value #MAX_POINTS_PER_SERIES} points per series, which it refuses with an error: with no step
 * given, the smallest whole second that fits the range into one query; with a step given, that step,
 * and the range split into as many queries as it needs, each starting a step after the last one ended.
 */
public record RangePlan(long start, long end, long step) {

    public static final int MAX_POINTS_PER_SERIES = 11_000;
    private static final long SECOND = 1000;

    public RangePlan {
        if (end < start) {
            throw new IllegalArgumentException("the Prometheus range ends before it starts");
        }
        if (step < 1) {
            throw new IllegalArgumentException("the Prometheus step must be positive");
        }
    }

    /** The range at {@code step} milliseconds, or at the smallest whole second fitting one query when null. */
    public static RangePlan of(long start, long end, Long step) {
        if (step != null) {
            return new RangePlan(start, end, step);
        }
        long perQuery = MAX_POINTS_PER_SERIES - 1;
        long seconds = Math.max(1, ((end - start) / SECOND + perQuery - 1) / perQuery);
        return new RangePlan(start, end, seconds * SECOND);
    }

    /** The queries' {@code [from, to]} windows, in order; each holds at most {@value #MAX_POINTS_PER_SERIES} steps. */
    public List<long[]> windows() {
        List<long[]> windows = new ArrayList<>();
        long span = (MAX_POINTS_PER_SERIES - 1) * step;
        for (long from = start; from <= end; ) {
            long to = end - from <= span ? end : from + span;
            windows.add(new long[] {from, to});
            if (to == end) {
                break;
            }
            from = to + step;
        }
        return windows;
    }
}
