package io.vigil.topology.scoring;

import io.vigil.topology.scoring.drift.DriftWindow;
import io.vigil.topology.scoring.lstm.LstmState;
import io.vigil.topology.scoring.telemanom.Chunk;
import io.vigil.topology.scoring.telemanom.StreamState;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every stored form of a channel's scoring state, and the keys it is stored under: one format
 * version ({@value #FORMAT}) for all three values, little-endian so that doubles copy without byte
 * swapping on x86.
 *
 * <ul>
 *   <li><b>Record</b> ({@code channel-state}, key: the channel id), the channel's checkpoint: points
 *       scored, last event time, tail slots used since the last reset, the cadence, the anomaly run,
 *       then a detector byte and either the baseline's six numbers or the LSTM's part (model
 *       version, the threshold settings it runs with, values consumed, pending forecast, recurrent
 *       state, threshold state, then, for a model with a drift sketch, a byte 1 and the drift window:
 *       its interval count and weights). A record without a window ends after the threshold state,
 *       as records did before drift was measured, so either scorer reads the other's.</li>
 *   <li><b>Chunk</b> ({@code channel-window}, key {@code <channel>/c<k>}): one batch of the error
 *       window, errors, values and event times of its slots.</li>
 *   <li><b>Tail entry</b> ({@code channel-window}, key {@code <channel>/t<slot>}): a point scored
 *       after the checkpoint (its ordinal among the channel's points, time, value and, for a model
 *       with input features, their count and values), from which the state after it is recomputed.
 *       An entry of a point without inputs ends after the value, as before models took inputs.</li>
 * </ul>
 *
 * Keys of the window store end in {@code /c<digits>} or {@code /t<digits>} after the channel id, so
 * no two channels share a key whatever their ids.
 */
final class ChannelCodec {

    static final byte FORMAT = 3;
    private static final byte BASELINE = 0;
    private static final byte LSTM = 1;
    private static final int TAIL_ENTRY_SIZE = 1 + 3 * Long.BYTES;
    /** The inputs of a point that has none. */
    static final double[] NO_INPUTS = new double[0];

    private ChannelCodec() {}

    static String chunkKey(String channel, int chunk) {
        return channel + "/c" + chunk;
    }

    static String tailKey(String channel, int slot) {
        return channel + "/t" + slot;
    }

    // ---- the record

    static byte[] record(ChannelScorer s) {
        Cadence cadence = s.cadence;
        LstmChannel lstm = s.lstm;
        int size = 1 + 2 * Long.BYTES + Integer.BYTES + 1 + cadence.count() * Integer.BYTES
                + 2 * Long.BYTES + Double.BYTES + 1 + 1
                + (lstm == null ? 2 * Long.BYTES + 4 * Double.BYTES : lstmSize(lstm));
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(FORMAT).putLong(s.points).putLong(s.lastTime).putInt(s.tailSlots);
        out.put((byte) cadence.count());
        for (int i = 0; i < cadence.count(); i++) {
            out.putInt(cadence.interval(i));
        }
        AnomalyRun run = s.run;
        out.putLong(run.start()).putLong(run.end()).putDouble(run.severity()).put((byte) (run.isOpen() ? 1 : 0));
        if (lstm == null) {
            BaselineDetector.State b = s.baseline;
            out.put(BASELINE).putLong(b.count()).putLong(b.lastTime()).putDouble(b.lastValue())
                    .putDouble(b.smoothedError()).putDouble(b.errorMean()).putDouble(b.errorVariance());
        } else {
            out.put(LSTM);
            writeLstm(out, lstm);
        }
        return out.array();
    }

    /**
     * The channel a record describes, without its tail.
     *
     * @throws IllegalArgumentException if the bytes are not a complete record of this format
     */
    static ChannelScorer record(String channel, byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (in.get() != FORMAT) {
                throw new IllegalArgumentException("format " + bytes[0] + ", expected " + FORMAT);
            }
            ChannelScorer s = new ChannelScorer(channel);
            s.points = in.getLong();
            s.lastTime = in.getLong();
            s.tailSlots = in.getInt();
            int[] intervals = new int[in.get()];
            for (int i = 0; i < intervals.length; i++) {
                intervals[i] = in.getInt();
            }
            s.cadence = Cadence.of(intervals);
            s.run = AnomalyRun.of(in.getLong(), in.getLong(), in.getDouble(), in.get() == 1);
            byte detector = in.get();
            if (detector == BASELINE) {
                s.baseline = new BaselineDetector.State(in.getLong(), in.getLong(), in.getDouble(), in.getDouble(),
                        in.getDouble(), in.getDouble());
            } else if (detector == LSTM) {
                s.lstm = readLstm(channel, in);
            } else {
                throw new IllegalArgumentException("detector " + detector);
            }
            if (in.hasRemaining() || s.points < 1 || s.tailSlots < 0 || s.tailSlots > ChannelScorer.TAIL_LIMIT) {
                throw new IllegalArgumentException(in.remaining() + " bytes left, " + s.points + " points, "
                        + s.tailSlots + " tail slots");
            }
            s.record = bytes;
            return s;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable record of channel " + channel + " (" + bytes.length
                    + " bytes): " + e.getMessage(), e);
        }
    }

    private static int lstmSize(LstmChannel lstm) {
        LstmState state = lstm.state;
        return Integer.BYTES + 4 * Integer.BYTES + 2 * Double.BYTES + Long.BYTES + Float.BYTES
                + 2 * Integer.BYTES + 2 * state.layers() * state.units() * Float.BYTES
                + 5 * Long.BYTES + 6 * Double.BYTES + StreamState.flagWords(lstm.settings) * Long.BYTES
                + (lstm.drift == null ? 0 : 1 + Integer.BYTES + lstm.drift.size());
    }

    private static void writeLstm(ByteBuffer out, LstmChannel lstm) {
        ThresholdSettings t = lstm.settings;
        out.putInt(lstm.version)
                .putInt(t.batchSize()).putInt(t.windowSize()).putDouble(t.smoothingPerc()).putInt(t.errorBuffer())
                .putDouble(t.pruneP()).putInt(t.lS())
                .putLong(lstm.steps).putFloat(lstm.pending);
        LstmState state = lstm.state;
        out.putInt(state.layers()).putInt(state.units());
        for (int l = 0; l < state.layers(); l++) {
            for (int u = 0; u < state.units(); u++) {
                out.putFloat(state.hidden(l, u));
            }
            for (int u = 0; u < state.units(); u++) {
                out.putFloat(state.cell(l, u));
            }
        }
        StreamState.Saved h = lstm.threshold.saved();
        out.putLong(h.count()).putDouble(h.ewmaMean()).putDouble(h.ewmaWeight()).putDouble(h.startupSum())
                .putDouble(h.threshold()).putDouble(h.lowerThreshold())
                .putLong(h.runStart()).putLong(h.runEnd()).putDouble(h.runSeverity())
                .putLong(h.runStartTime()).putLong(h.runEndTime());
        for (long word : h.flags()) {
            out.putLong(word);
        }
        // Without a window the record keeps the layout from before drift, which a scorer rolled back can read.
        if (lstm.drift != null) {
            out.put((byte) 1).putInt(lstm.drift.intervals());
            lstm.drift.write(out);
        }
    }

    private static LstmChannel readLstm(String channel, ByteBuffer in) {
        int version = in.getInt();
        ThresholdSettings settings = new ThresholdSettings(in.getInt(), in.getInt(), in.getDouble(), in.getInt(),
                in.getDouble(), in.getInt());
        long steps = in.getLong();
        float pending = in.getFloat();
        LstmState state = LstmState.zero(in.getInt(), in.getInt());
        for (int l = 0; l < state.layers(); l++) {
            float[] hidden = new float[state.units()];
            for (int u = 0; u < hidden.length; u++) {
                hidden[u] = in.getFloat();
            }
            for (int u = 0; u < hidden.length; u++) {
                state.restore(l, u, hidden[u], in.getFloat());
            }
        }
        long count = in.getLong();
        double mean = in.getDouble();
        double weight = in.getDouble();
        double startupSum = in.getDouble();
        double threshold = in.getDouble();
        double lower = in.getDouble();
        long runStart = in.getLong();
        long runEnd = in.getLong();
        double runSeverity = in.getDouble();
        long runStartTime = in.getLong();
        long runEndTime = in.getLong();
        long[] flags = new long[StreamState.flagWords(settings)];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = in.getLong();
        }
        StreamState header = StreamState.restore(settings, new StreamState.Saved(count, mean, weight, startupSum,
                threshold, lower, runStart, runEnd, runSeverity, runStartTime, runEndTime, flags));
        // Records stored before drift was measured end here; their channels start an empty drift window.
        DriftWindow drift = null;
        if (in.hasRemaining() && in.get() == 1) {
            int intervals = in.getInt();
            if (intervals < 1 || intervals > in.remaining() / Double.BYTES) {
                throw new IllegalArgumentException(intervals + " drift intervals");
            }
            drift = DriftWindow.read(in, intervals);
        }
        return new LstmChannel(channel, version, settings, steps, pending, state, header, drift);
    }

    // ---- chunks

    static byte[] chunk(Chunk chunk) {
        int n = chunk.size();
        ByteBuffer out = ByteBuffer.allocate(chunkSize(n)).order(ByteOrder.LITTLE_ENDIAN).put(FORMAT);
        for (int i = 0; i < n; i++) {
            out.putDouble(chunk.error(i));
        }
        for (int i = 0; i < n; i++) {
            out.putDouble(chunk.value(i));
        }
        for (int i = 0; i < n; i++) {
            out.putLong(chunk.time(i));
        }
        return out.array();
    }

    /** The chunk of {@code batchSize} slots the bytes hold, or null if they are absent or of other settings. */
    static Chunk chunk(byte[] bytes, int batchSize) {
        if (bytes == null || bytes.length != chunkSize(batchSize) || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        double[] errors = new double[batchSize];
        double[] values = new double[batchSize];
        long[] times = new long[batchSize];
        in.asDoubleBuffer().get(errors).get(values);
        in.position(1 + 2 * batchSize * Double.BYTES);
        in.asLongBuffer().get(times);
        return Chunk.of(errors, values, times);
    }

    private static int chunkSize(int batchSize) {
        return 1 + batchSize * (2 * Double.BYTES + Long.BYTES);
    }

    // ---- tail entries

    /**
     * A point scored after the checkpoint: the channel's {@code point}-th, at {@code time} with
     * {@code value} and {@code inputs} (not copied: treat as read-only).
     */
    record TailEntry(long point, long time, double value, double[] inputs) {}

    static byte[] tail(long point, long time, double value, double[] inputs) {
        int size = TAIL_ENTRY_SIZE + (inputs.length == 0 ? 0 : Integer.BYTES + inputs.length * Double.BYTES);
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN)
                .put(FORMAT).putLong(point).putLong(time).putDouble(value);
        if (inputs.length > 0) {
            out.putInt(inputs.length);
            for (double v : inputs) {
                out.putDouble(v);
            }
        }
        return out.array();
    }

    /** The entry the bytes hold, or null if they are absent or not an entry. */
    static TailEntry tail(byte[] bytes) {
        if (bytes == null || bytes.length < TAIL_ENTRY_SIZE || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        long point = in.getLong();
        long time = in.getLong();
        double value = in.getDouble();
        double[] inputs = NO_INPUTS;
        if (in.hasRemaining()) {
            int count = in.remaining() >= Integer.BYTES ? in.getInt() : -1;
            if (count < 1 || in.remaining() != (long) count * Double.BYTES) {
                return null;
            }
            inputs = new double[count];
            in.asDoubleBuffer().get(inputs);
        }
        return new TailEntry(point, time, value, inputs);
    }
}
