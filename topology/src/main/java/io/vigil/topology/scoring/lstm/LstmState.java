package io.vigil.topology.scoring.lstm;

import io.vigil.avro.LstmArchitecture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The recurrent state of one channel's forecaster: the hidden output {@code h} and the cell
 * {@code c} of every LSTM layer. A forward pass updates it in place, one step per point.
 *
 * <p>{@link #toBytes()} is the state store's form: a format byte, the layer and unit counts, then
 * every layer's {@code h} and {@code c} as little-endian float32, exact, so a restored channel forecasts
 * exactly as if it had never moved (1,289 bytes for 2x80).
 *
 * <p>Not thread-safe: a channel's state belongs to the one stream thread scoring it.
 */
public final class LstmState {

    private static final byte FORMAT_V1 = 1;
    private static final int HEADER = 1 + 2 * Integer.BYTES;

    /** [layer][unit]. */
    final float[][] h;
    /** [layer][unit]. */
    final float[][] c;

    private LstmState(int layers, int units) {
        if (layers < 1 || units < 1) {
            throw new IllegalArgumentException("a state needs at least one layer and one unit: " + layers + "x" + units);
        }
        h = new float[layers][units];
        c = new float[layers][units];
    }

    /** The all-zero state DL4J starts from (and returns to after {@code rnnClearPreviousState}). */
    public static LstmState zero(LstmArchitecture architecture) {
        return zero(architecture.getLayers(), architecture.getUnits());
    }

    /** The all-zero state of {@code layers} layers of {@code units} units. */
    public static LstmState zero(int layers, int units) {
        return new LstmState(layers, units);
    }

    public int layers() {
        return h.length;
    }

    public int units() {
        return h[0].length;
    }

    /** Hidden output {@code h} of {@code unit} in {@code layer} (DL4J's {@code prevAct}). */
    public float hidden(int layer, int unit) {
        return h[layer][unit];
    }

    /** Cell {@code c} of {@code unit} in {@code layer} (DL4J's {@code prevMem}). */
    public float cell(int layer, int unit) {
        return c[layer][unit];
    }

    /** Whether this state has the shape of {@code parameters}' network. */
    public boolean fits(LstmParameters parameters) {
        return layers() == parameters.layers() && units() == parameters.units();
    }

    /** An independent copy, e.g. to forecast ahead without disturbing the channel. */
    public LstmState copy() {
        LstmState copy = new LstmState(layers(), units());
        for (int l = 0; l < layers(); l++) {
            System.arraycopy(h[l], 0, copy.h[l], 0, units());
            System.arraycopy(c[l], 0, copy.c[l], 0, units());
        }
        return copy;
    }

    /** The state store's form (see the class comment). */
    public byte[] toBytes() {
        int layers = layers();
        int units = units();
        ByteBuffer out = ByteBuffer.allocate(HEADER + 2 * layers * units * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(FORMAT_V1).putInt(layers).putInt(units);
        for (int l = 0; l < layers; l++) {
            out.asFloatBuffer().put(h[l]).put(c[l]);
            out.position(out.position() + 2 * units * Float.BYTES);
        }
        return out.array();
    }

    /**
     * Reads {@link #toBytes()}'s form.
     *
     * @throws IllegalArgumentException if the bytes are not a complete version-1 state
     */
    public static LstmState fromBytes(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != FORMAT_V1) {
            throw new IllegalArgumentException("not a version-1 LSTM state (" + bytes.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.get();
        int layers = in.getInt();
        int units = in.getInt();
        if (layers < 1 || units < 1 || bytes.length - HEADER != 2L * layers * units * Float.BYTES) {
            throw new IllegalArgumentException("LSTM state of " + layers + "x" + units + " cannot be "
                    + bytes.length + " bytes");
        }
        LstmState state = new LstmState(layers, units);
        for (int l = 0; l < layers; l++) {
            in.asFloatBuffer().get(state.h[l]).get(state.c[l]);
            in.position(in.position() + 2 * units * Float.BYTES);
        }
        return state;
    }
}
