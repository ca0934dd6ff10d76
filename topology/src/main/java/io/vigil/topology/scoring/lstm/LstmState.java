package io.vigil.topology.scoring.lstm;

import io.vigil.avro.LstmArchitecture;

/**
 * The recurrent state of one channel's forecaster: the hidden output {@code h} and the cell
 * {@code c} of every LSTM layer. A forward pass updates it in place, one step per point.
 *
 * <p>Not thread-safe: a channel's state belongs to the one stream thread scoring it.
 */
public final class LstmState {

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

    /** Sets one unit of one layer, e.g. when a stored state is read back. */
    public void restore(int layer, int unit, float hidden, float cell) {
        h[layer][unit] = hidden;
        c[layer][unit] = cell;
    }
}
