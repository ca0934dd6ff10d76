package io.vigil.topology.scoring;

import io.vigil.topology.release.ModelDescriptor;
import io.vigil.topology.scoring.lstm.LstmState;
import io.vigil.topology.scoring.telemanom.StreamState;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;

/**
 * A channel's LSTM side of its state record: which model version it runs, how many values the
 * network has consumed since its last reset, the forecast of the next value (made by the step on
 * the previous value), the recurrent state, and the threshold's header. The error window itself
 * lives in chunks in another store ({@link ChunkWindow}).
 *
 * <p>The header can only be read with the settings it was written with, and those belong to the
 * model; so it stays bytes until the scorer, knowing the model, asks for it.
 */
final class LstmChannel {

    final int version;
    /** Batches per window of the model's settings, to clear exactly its chunks on a reset. */
    final int windowSize;
    /** Values consumed since the last reset; the next point's index among them. */
    long steps;
    /** Scaled forecast of the next value; meaningless while {@code steps == 0}. */
    float pending;
    final LstmState state;
    private byte[] headerBytes;
    private StreamState header;

    private LstmChannel(int version, int windowSize, long steps, float pending, LstmState state, byte[] headerBytes) {
        this.version = version;
        this.windowSize = windowSize;
        this.steps = steps;
        this.pending = pending;
        this.state = state;
        this.headerBytes = headerBytes;
    }

    /** A channel that has just started with {@code model}: zero state, no forecast, empty window. */
    static LstmChannel start(ModelDescriptor model) {
        return new LstmChannel(model.version(), model.settings().windowSize(), 0, Float.NaN,
                LstmState.zero(model.architecture()), null);
    }

    /** The threshold header, null before the first thresholded error. */
    StreamState header(ThresholdSettings settings) {
        if (header == null && headerBytes != null) {
            header = StreamState.readFrom(ByteBuffer.wrap(headerBytes), settings);
        }
        return header;
    }

    void header(StreamState updated) {
        header = updated;
        headerBytes = null;
    }

    /** The record's LSTM part: version, window size, steps, pending forecast, then state and header length-prefixed. */
    byte[] toBytes() {
        if (header != null) {
            headerBytes = header.toBytes();
            header = null;
        }
        byte[] s = state.toBytes();
        int headerLength = headerBytes == null ? 0 : headerBytes.length;
        ByteBuffer out = ByteBuffer.allocate(2 * Integer.BYTES + Long.BYTES + Float.BYTES
                + Integer.BYTES + s.length + Integer.BYTES + headerLength);
        out.putInt(version).putInt(windowSize).putLong(steps).putFloat(pending);
        out.putInt(s.length).put(s);
        out.putInt(headerLength);
        if (headerBytes != null) {
            out.put(headerBytes);
        }
        return out.array();
    }

    static LstmChannel readFrom(ByteBuffer in) {
        int version = in.getInt();
        int windowSize = in.getInt();
        long steps = in.getLong();
        float pending = in.getFloat();
        byte[] s = new byte[in.getInt()];
        in.get(s);
        int headerLength = in.getInt();
        byte[] h = null;
        if (headerLength > 0) {
            h = new byte[headerLength];
            in.get(h);
        }
        return new LstmChannel(version, windowSize, steps, pending, LstmState.fromBytes(s), h);
    }
}
