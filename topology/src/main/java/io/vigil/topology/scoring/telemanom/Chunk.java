package io.vigil.topology.scoring.telemanom;

/**
 * One batch of a channel's error window: for each slot (index mod batchSize) the smoothed error, the
 * scaled value and the event time of the point that filled it. The time travels with the slot so a
 * segment the threshold decides can be reported in event time, however old its first index.
 *
 * <p>Mutable, and owned by one channel's detector at a time (see {@link ChunkStore}).
 */
public final class Chunk {

    private final double[] errors;
    private final double[] values;
    private final long[] times;

    /** An empty chunk of {@code batchSize} slots. */
    public Chunk(int batchSize) {
        this(new double[batchSize], new double[batchSize], new long[batchSize]);
    }

    private Chunk(double[] errors, double[] values, long[] times) {
        this.errors = errors;
        this.values = values;
        this.times = times;
    }

    /** A chunk over the given arrays, which must have one length; they are taken, not copied. */
    public static Chunk of(double[] errors, double[] values, long[] times) {
        if (errors.length != values.length || errors.length != times.length) {
            throw new IllegalArgumentException("a chunk's slots are " + errors.length + " errors, "
                    + values.length + " values and " + times.length + " times");
        }
        return new Chunk(errors, values, times);
    }

    public int size() {
        return errors.length;
    }

    public double error(int slot) {
        return errors[slot];
    }

    public double value(int slot) {
        return values[slot];
    }

    public long time(int slot) {
        return times[slot];
    }

    void set(int slot, double error, double value, long time) {
        errors[slot] = error;
        values[slot] = value;
        times[slot] = time;
    }

    /** Copies the slots to {@code [at, at + size)} of the window's arrays. */
    void copyTo(double[] windowErrors, double[] windowValues, long[] windowTimes, int at) {
        System.arraycopy(errors, 0, windowErrors, at, errors.length);
        System.arraycopy(values, 0, windowValues, at, values.length);
        System.arraycopy(times, 0, windowTimes, at, times.length);
    }
}
