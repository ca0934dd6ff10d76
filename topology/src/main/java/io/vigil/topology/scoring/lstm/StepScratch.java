package io.vigil.topology.scoring.lstm;

/**
 * Working arrays of one step, one set per thread, so a forward pass allocates nothing per step and
 * one instance can serve every stream thread.
 */
final class StepScratch {

    private static final ThreadLocal<StepScratch> PER_THREAD = ThreadLocal.withInitial(StepScratch::new);

    /** Gate pre-activations of the layer being stepped. */
    float[] z = new float[0];
    /** The hidden outputs a layer multiplies, [h_below, h], scaled for binary16 weights. */
    float[] u = new float[0];
    /** Per unit, a layer's tanh of its new cell state. */
    float[] t = new float[0];
    /** One float per vector lane, for a horizontal sum in a fixed order (sized by the vector pass). */
    float[] lanes = new float[0];

    static StepScratch forStep(LstmParameters p) {
        StepScratch s = PER_THREAD.get();
        if (s.z.length < 4 * p.units()) {
            // Grown only: a thread stepping channels of several sizes must not allocate per step.
            s.z = new float[4 * p.units()];
            s.u = new float[2 * p.units()];
            s.t = new float[p.units()];
        }
        return s;
    }

    /**
     * Starts {@code z} of a layer: its bias, plus on layer 0 the value times row 0 of {@code 0_W} and
     * each input feature times its row, in row order. A feature at 0 (a command column that training
     * never saw set, which scales to 0: most of a SMAP channel's 24) adds nothing and is skipped: for
     * finite weights {@code z + 0 * w} is {@code z} but for the sign of a zero, which no gate's function
     * tells apart.
     */
    static void startGates(LstmParameters p, int layer, float x, float[] inputs, float[] z) {
        float[] b = p.bias[layer];
        if (layer == 0) {
            float[] w = p.inputRows[0];
            for (int k = 0; k < b.length; k++) {
                z[k] = b[k] + x * w[k];
            }
            for (int r = 0; r < inputs.length; r++) {
                float v = inputs[r];
                if (v != 0f) {
                    float[] row = p.inputRows[r + 1];
                    for (int k = 0; k < b.length; k++) {
                        z[k] += v * row[k];
                    }
                }
            }
        } else {
            System.arraycopy(b, 0, z, 0, b.length);
        }
    }

    /** Fills {@code u} with what the layer's hidden-fed rows multiply, times {@code scale}; returns the count. */
    static int hiddenInputs(float[] below, float[] h, float scale, float[] u) {
        int n = 0;
        if (below != null) {
            for (int j = 0; j < below.length; j++) {
                u[n++] = below[j] * scale;
            }
        }
        for (int j = 0; j < h.length; j++) {
            u[n++] = h[j] * scale;
        }
        return n;
    }
}
