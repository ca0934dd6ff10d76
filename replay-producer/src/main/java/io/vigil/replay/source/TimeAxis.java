package io.vigil.replay.source;

/**
 * A synthetic time axis for data that has only indices (Telemanom): index {@code i} happens at
 * {@code start + i * stepMillis}, so index labels become event-time windows exactly.
 */
public record TimeAxis(long start, long stepMillis) {

    public TimeAxis {
        if (stepMillis <= 0) {
            throw new IllegalArgumentException("time step must be positive, not " + stepMillis + " ms");
        }
    }

    public long time(long index) {
        return start + index * stepMillis;
    }

    public long[] times(int count) {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = time(i);
        }
        return times;
    }
}
