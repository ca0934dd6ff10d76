package io.vigil.topology.scoring.telemanom;

/**
 * One channel's {@link StreamingThreshold} state except the window's slots, which live in
 * {@link Chunk}s: the record count, the EWMA, the running sum for the start-up mean, the thresholds of
 * the last decided window, the sequence being tracked (indices and event times) and one flag bit per
 * index of the window (which indices earlier windows flagged, for pruning). Owned by the caller, who
 * keeps it with the rest of the channel's state and stores it through {@link #saved()} and
 * {@link #restore}.
 */
public final class StreamState {

    /** A time or index of no point. */
    static final long NONE = -1;

    private final ThresholdSettings settings;
    final Ewma ewma;
    final long[] flags;
    long count;
    double startupSum;
    double threshold = Double.NaN;
    double lowerThreshold = Double.NaN;
    /** First index of the tracked run of flagged indices, -1 if the last decided index is nominal. */
    long runStart = NONE;
    long runEnd = NONE;
    double runSeverity = Double.NaN;
    long runStartTime = NONE;
    long runEndTime = NONE;

    public StreamState(ThresholdSettings settings) {
        this.settings = settings;
        this.ewma = new Ewma(settings.smoothingSpan());
        this.flags = new long[flagWords(settings)];
    }

    /** Longs of flag bits for a window of {@code settings}: one bit per index. */
    public static int flagWords(ThresholdSettings settings) {
        return (settings.windowLength() + 63) / 64;
    }

    /**
     * Every field of a state, as stored.
     *
     * @param flags the window's flag bits, {@link #flagWords} longs
     */
    public record Saved(long count, double ewmaMean, double ewmaWeight, double startupSum, double threshold,
                        double lowerThreshold, long runStart, long runEnd, double runSeverity, long runStartTime,
                        long runEndTime, long[] flags) {}

    public Saved saved() {
        return new Saved(count, ewma.mean(), ewma.weight(), startupSum, threshold, lowerThreshold, runStart, runEnd,
                runSeverity, runStartTime, runEndTime, flags.clone());
    }

    /** The state {@code saved} describes, under the settings it was saved with. */
    public static StreamState restore(ThresholdSettings settings, Saved saved) {
        StreamState s = new StreamState(settings);
        if (saved.flags().length != s.flags.length || saved.count() < 0) {
            throw new IllegalArgumentException("a threshold state of " + saved.count() + " records and "
                    + saved.flags().length + " flag words cannot belong to a window of " + settings.windowLength());
        }
        s.count = saved.count();
        s.ewma.restore(saved.ewmaMean(), saved.ewmaWeight());
        s.startupSum = saved.startupSum();
        s.threshold = saved.threshold();
        s.lowerThreshold = saved.lowerThreshold();
        s.runStart = saved.runStart();
        s.runEnd = saved.runEnd();
        s.runSeverity = saved.runSeverity();
        s.runStartTime = saved.runStartTime();
        s.runEndTime = saved.runEndTime();
        System.arraycopy(saved.flags(), 0, s.flags, 0, s.flags.length);
        return s;
    }

    public ThresholdSettings settings() {
        return settings;
    }

    /** Records seen; the next record gets this index. */
    public long count() {
        return count;
    }

    /** epsilon of the last decided window, NaN before the first. */
    public double threshold() {
        return threshold;
    }

    /** The inverted threshold of the last decided window in smoothed-error units, NaN before the first. */
    public double lowerThreshold() {
        return lowerThreshold;
    }

    /** The last index whose verdict is final, -1 before the first window is complete. */
    public long decidedThrough() {
        long batches = count / settings.batchSize();
        return count < settings.windowLength() ? -1 : batches * settings.batchSize() - 1;
    }

    /** Whether an anomalous sequence (two or more indices) is open as of the last decided index. */
    public boolean anomalous() {
        return runStart >= 0 && runEnd > runStart;
    }

    /** The open anomalous sequence as decided so far, or null. */
    public AnomalySequence openSequence() {
        return anomalous() ? new AnomalySequence(runStart, runEnd, runSeverity) : null;
    }

    /** Event time of the open sequence's last decided index; meaningful only while {@link #anomalous()}. */
    public long openEndTime() {
        return runEndTime;
    }

    boolean flagged(long index) {
        int bit = (int) (index % settings.windowLength());
        return (flags[bit >>> 6] & (1L << bit)) != 0;
    }

    void flag(long index, boolean value) {
        int bit = (int) (index % settings.windowLength());
        if (value) {
            flags[bit >>> 6] |= 1L << bit;
        } else {
            flags[bit >>> 6] &= ~(1L << bit);
        }
    }
}
