package io.vigil.topology.scoring.lstm;

/**
 * The forward pass in plain Java: z grows by one scaled row at a time, {@code z[k] += u * row[k]},
 * two distinct arrays at one index, the loop shape C2's auto-vectorizer handles on Java 17 (over one
 * flat weight array with an offset it did not vectorize). Binary16 weights are widened one at a time
 * here, which the JIT does not vectorize: HALF is meant for the Vector API pass.
 */
final class ScalarForwardPass implements LstmForwardPass {

    @Override
    public float step(LstmParameters p, LstmState state, float x, float[] inputs) {
        p.checkSteppable(state, inputs);
        StepScratch scratch = StepScratch.forStep(p);
        float[] z = scratch.z;
        float[] u = scratch.u;
        boolean half = p.halfRows != null;
        float[] below = null;
        for (int l = 0; l < p.layers(); l++) {
            float[] h = state.h[l];
            StepScratch.startGates(p, l, x, inputs, z);
            int n = StepScratch.hiddenInputs(below, h, half ? HalfFloat.SCALE : 1f, u);
            if (half) {
                accumulate(p.halfRows[l], n, u, z, p.bias[l].length);
            } else {
                accumulate(p.rows[l], n, u, z, p.bias[l].length);
            }
            updateCells(z, h, state.c[l], 0, h.length);
            below = h;
        }
        return dot(p.dense[0], below, p.denseBias[0]);
    }

    /**
     * z[0, g) += sum over rows j of u[j] * row j, from block-major rows (LstmParameters). C2 on Java 17
     * does not vectorize the inner loop (two arrays at different offsets), so this fallback is slower
     * than a row-at-a-time sum when the weights are in cache, and as fast when they stream from memory.
     */
    private static void accumulate(float[] w, int n, float[] u, float[] z, int g) {
        for (int start = 0; start < g; start += LstmParameters.BLOCK) {
            int width = Math.min(LstmParameters.BLOCK, g - start);
            int at = n * start;
            for (int j = 0; j < n; j++, at += width) {
                float s = u[j];
                for (int c = 0; c < width; c++) {
                    z[start + c] += s * w[at + c];
                }
            }
        }
    }

    private static void accumulate(short[] w, int n, float[] u, float[] z, int g) {
        for (int start = 0; start < g; start += LstmParameters.BLOCK) {
            int width = Math.min(LstmParameters.BLOCK, g - start);
            int at = n * start;
            for (int j = 0; j < n; j++, at += width) {
                float s = u[j];
                for (int c = 0; c < width; c++) {
                    z[start + c] += s * HalfFloat.widenScaled(w[at + c]);
                }
            }
        }
    }

    /** The elementwise half of a step for units [from, to), with the gate order of LstmParameters. */
    static void updateCells(float[] z, float[] h, float[] c, int from, int to) {
        int units = h.length;
        for (int k = from; k < to; k++) {
            float a = tanh(z[k]);
            float f = sigmoid(z[units + k]);
            float o = sigmoid(z[2 * units + k]);
            float i = sigmoid(z[3 * units + k]);
            float cell = f * c[k] + i * a;
            c[k] = cell;
            h[k] = o * tanh(cell);
        }
    }

    static float dot(float[] w, float[] h, float bias) {
        float sum = bias;
        for (int j = 0; j < w.length; j++) {
            sum += w[j] * h[j];
        }
        return sum;
    }

    static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** Through exp (an intrinsic) rather than Math.tanh (not one on Java 17, and several times slower). */
    static float tanh(float v) {
        double t = Math.exp(-2.0 * Math.abs(v));
        double r = (1.0 - t) / (1.0 + t);
        return (float) (v < 0 ? -r : r);
    }

    @Override
    public String toString() {
        return "scalar forward pass";
    }
}
