package io.vigil.topology.scoring;

import java.nio.ByteBuffer;
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

    int serializedSize() {
        return 1 + count * Integer.BYTES;
    }

    void writeTo(ByteBuffer out) {
        out.put((byte) count);
        for (int i = 0; i < count; i++) {
            out.putInt(intervals[i]);
        }
    }

    static Cadence readFrom(ByteBuffer in) {
        Cadence c = new Cadence();
        int n = in.get();
        if (n < 0 || n > SIZE) {
            throw new IllegalArgumentException("cadence of " + n + " intervals");
        }
        for (int i = 0; i < n; i++) {
            c.intervals[i] = in.getInt();
        }
        c.count = n;
        return c;
    }
}
