package io.vigil.topology.scoring;

import java.util.Arrays;

/**
 * The intervals between a channel's last few points, for the long-gap rule: the median of the last
 * {@value #SIZE} is the channel's typical interval, robust to the odd late or early point. Unknown (0)
 * until {@value #SIZE} intervals are seen, so a young channel is judged by the absolute limit only.
 * Every interval enters, long ones too, so a channel that settles at a slower cadence stops counting
 * as gapped after about half the ring.
 */
final class Cadence {

    static final int SIZE = 9;

    /** Oldest first; a saturated int of milliseconds (24 days) is long enough for any cadence. */
    private final int[] intervals = new int[SIZE];
    private int count;

    void add(long intervalMs) {
        int value = (int) Math.min(Integer.MAX_VALUE, Math.max(0, intervalMs));
        if (count < SIZE) {
            intervals[count++] = value;
        } else {
            System.arraycopy(intervals, 1, intervals, 0, SIZE - 1);
            intervals[SIZE - 1] = value;
        }
    }

    /** The median of the last {@value #SIZE} intervals, 0 while fewer were seen. */
    long medianMs() {
        if (count < SIZE) {
            return 0;
        }
        int[] sorted = intervals.clone();
        Arrays.sort(sorted);
        return sorted[SIZE / 2];
    }

    /** Intervals seen, at most {@value #SIZE}. */
    int count() {
        return count;
    }

    /** The {@code i}-th kept interval, oldest first. */
    int interval(int i) {
        return intervals[i];
    }

    /** The cadence that kept {@code intervals}, oldest first. */
    static Cadence of(int[] intervals) {
        if (intervals.length > SIZE) {
            throw new IllegalArgumentException("cadence of " + intervals.length + " intervals");
        }
        Cadence c = new Cadence();
        System.arraycopy(intervals, 0, c.intervals, 0, intervals.length);
        c.count = intervals.length;
        return c;
    }
}
