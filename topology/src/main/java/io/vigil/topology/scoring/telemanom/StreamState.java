package io.vigil.topology.scoring.telemanom;

import java.nio.ByteBuffer;

/**
 * The header of one channel's {@link StreamingThreshold} state: everything except the window's
 * errors and values, which live in chunks. Holds the record count, the EWMA, the running sum for the
 * start-up mean, the thresholds of the last decided window, the sequence being tracked and one flag
 * bit per index of the window (which indices earlier windows flagged, for pruning). 345 bytes with
 * the default settings, see {@link #serializedSize()}.
 */
public final class StreamState {

    private static final byte FORMAT_V1 = 1;

    private final ThresholdSettings settings;
    final Ewma ewma;
    final long[] flags;
    long count;
    double startupSum;
    double threshold = Double.NaN;
    double lowerThreshold = Double.NaN;
    /** First index of the tracked run of flagged indices, -1 if the last decided index is nominal. */
    long runStart = -1;
    long runEnd = -1;
    double runSeverity = Double.NaN;

    public StreamState(ThresholdSettings settings) {
        this.settings = settings;
        this.ewma = new Ewma(settings.smoothingSpan());
        this.flags = new long[(settings.windowLength() + 63) / 64];
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

    public int serializedSize() {
        return 1 + 2 * Integer.BYTES + 3 * Long.BYTES + 6 * Double.BYTES + flags.length * Long.BYTES;
    }

    public void writeTo(ByteBuffer out) {
        out.put(FORMAT_V1)
                .putInt(settings.windowLength())
                .putInt(settings.batchSize())
                .putLong(count)
                .putDouble(ewma.mean())
                .putDouble(ewma.weight())
                .putDouble(startupSum)
                .putDouble(threshold)
                .putDouble(lowerThreshold)
                .putLong(runStart)
                .putLong(runEnd)
                .putDouble(runSeverity);
        for (long word : flags) {
            out.putLong(word);
        }
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(serializedSize());
        writeTo(out);
        return out.array();
    }

    /** Reads a header written by {@link #writeTo}; the settings must be those it was written with. */
    public static StreamState readFrom(ByteBuffer in, ThresholdSettings settings) {
        if (in.get() != FORMAT_V1) {
            throw new IllegalArgumentException("not a v1 Telemanom stream header");
        }
        int windowLength = in.getInt();
        int batchSize = in.getInt();
        if (windowLength != settings.windowLength() || batchSize != settings.batchSize()) {
            throw new IllegalArgumentException("header written for window " + windowLength + " / batch " + batchSize
                    + ", settings have " + settings.windowLength() + " / " + settings.batchSize());
        }
        StreamState s = new StreamState(settings);
        s.count = in.getLong();
        double mean = in.getDouble();
        s.ewma.restore(mean, in.getDouble());
        s.startupSum = in.getDouble();
        s.threshold = in.getDouble();
        s.lowerThreshold = in.getDouble();
        s.runStart = in.getLong();
        s.runEnd = in.getLong();
        s.runSeverity = in.getDouble();
        for (int i = 0; i < s.flags.length; i++) {
            s.flags[i] = in.getLong();
        }
        return s;
    }
}
