package io.vigil.models.training;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Telemanom's network ({@link io.vigil.models.network.TelemanomNetwork}: stacked LSTM layers, inverted
 * dropout on the input of every layer above the first and of the dense output, a linear output)
 * computed on plain float arrays: the forward pass, and the gradient of the mean squared one-step
 * error by backpropagation through one truncated segment, the state carried from segment to segment.
 *
 * <p>Why not DL4J: a channel's series is one sequence, so every step is a batch of one, and DL4J
 * spends most of such a step creating and freeing native op contexts rather than multiplying
 * (docs/models.md, "Training speed"). Here a step is a few hundred short dot products and axpys on
 * arrays the JIT vectorizes.
 *
 * <p>The parameters are DL4J's flat vector ({@link LstmParameters} documents the layout: per layer
 * {@code W [nIn, 4H]}, {@code RW [H, 4H]}, {@code b [4H]} column-major, gates in the order a, f, o,
 * i; then the dense {@code W [H, 1]}, {@code b [1]}), so column {@code g} of a block is the
 * contiguous run {@code [start + g * rows, start + (g + 1) * rows)}. A network that starts from DL4J's
 * initial parameters and ends back in DL4J computes, in DL4J, what it computed here
 * ({@code LstmKernelTest}).
 *
 * <p>Not thread-safe: one instance per training task.
 */
final class LstmKernel {

    private final int inputSize;
    private final int layers;
    private final int units;
    private final int gates;
    private final double keep;
    private final float[] params;
    private final float[] gradient;
    private final int[] weightStart;
    private final int[] recurrentStart;
    private final int[] biasStart;
    private final int denseStart;
    private final int denseBias;

    /** Carried state per layer: {@code [sample][unit]} flattened, for the batch of the last segment. */
    private float[][] h;
    private float[][] c;
    private int stateBatch;

    /** Per-step caches of one sample's segment, reused; sized on first use. */
    private float[][] in;
    private float[][] gate;
    private float[][] cell;
    private float[][] cellTanh;
    private float[][] hidden;
    private float[][] inMask;
    /** The state the segment started from, per layer: what its first step's gradients read. */
    private float[][] initialH;
    private float[][] initialC;
    private float[] topIn;
    private float[] topMask;
    private float[] output;
    private int cachedLength;

    /**
     * @param params the flat parameter vector, updated in place by the caller's optimiser
     * @param keepProbability probability of keeping an activation where the network drops them
     */
    LstmKernel(LstmArchitecture architecture, float[] params, double keepProbability) {
        if (architecture.getOutputSize() != 1) {
            throw new IllegalArgumentException("the kernel trains one-output forecasters: " + architecture);
        }
        long expected = LstmParameters.parameterCount(architecture);
        if (params.length != expected) {
            throw new IllegalArgumentException(params.length + " parameters for a shape of " + expected);
        }
        this.inputSize = architecture.getInputSize();
        this.layers = architecture.getLayers();
        this.units = architecture.getUnits();
        this.gates = 4 * units;
        this.keep = keepProbability;
        this.params = params;
        this.gradient = new float[params.length];
        this.weightStart = new int[layers];
        this.recurrentStart = new int[layers];
        this.biasStart = new int[layers];
        int at = 0;
        for (int l = 0; l < layers; l++) {
            weightStart[l] = at;
            at += layerInputs(l) * gates;
            recurrentStart[l] = at;
            at += units * gates;
            biasStart[l] = at;
            at += gates;
        }
        this.denseStart = at;
        this.denseBias = at + units;
    }

    float[] params() {
        return params;
    }

    /** The gradient the last {@link #segmentGradient} computed, in the parameters' layout. */
    float[] gradient() {
        return gradient;
    }

    /** Zero state for {@code batch} sequences, as at the start of a DL4J {@code fit}. */
    void resetState(int batch) {
        h = new float[layers][batch * units];
        c = new float[layers][batch * units];
        stateBatch = batch;
    }

    /**
     * One tBPTT segment: runs steps {@code [from, from + length)} of every sequence on from the carried
     * state, with dropout, leaves the gradient of the mean squared error over all of them in
     * {@link #gradient()} (nothing flows back past the segment's start) and carries the state on.
     *
     * @param x {@code [sequence, feature, time]} in row-major order, {@code total} steps per sequence
     * @param y {@code [sequence, time]}: the target of each step
     * @return the segment's mean squared error
     */
    double segmentGradient(float[] x, float[] y, int batch, int total, int from, int length, SplittableRandom random) {
        if (batch != stateBatch) {
            throw new IllegalStateException("state is for " + stateBatch + " sequences, not " + batch);
        }
        Arrays.fill(gradient, 0f);
        ensureCaches(length);
        float scale = 2f / (batch * length);
        double loss = 0;
        for (int s = 0; s < batch; s++) {
            forwardInto(x, s, total, from, length, random, s);
            float[] dOut = new float[length];
            for (int t = 0; t < length; t++) {
                float e = output[t] - y[s * total + from + t];
                loss += (double) e * e;
                dOut[t] = scale * e;
            }
            backward(dOut, length, s);
        }
        return loss / (batch * length);
    }

    /**
     * Forecasts without dropout and without touching the carried state: each of {@code batch}
     * sequences of {@code length} steps from a zero state.
     *
     * @param x {@code [sequence, feature, time]} in row-major order
     * @return {@code [sequence, time]}: the forecast after each step
     */
    float[] predict(float[] x, int batch, int length) {
        float[][] savedH = h;
        float[][] savedC = c;
        int savedBatch = stateBatch;
        resetState(1);
        ensureCaches(length);
        float[] y = new float[batch * length];
        for (int s = 0; s < batch; s++) {
            for (int l = 0; l < layers; l++) {
                Arrays.fill(h[l], 0f);
                Arrays.fill(c[l], 0f);
            }
            forwardInto(x, s, length, 0, length, null, 0);
            System.arraycopy(output, 0, y, s * length, length);
        }
        h = savedH;
        c = savedC;
        stateBatch = savedBatch;
        return y;
    }

    /**
     * Runs {@code length} steps of sequence {@code sample} of {@code x} (each {@code total} long) from
     * step {@code from}, on from state row {@code stateRow}, filling the caches; {@code random} null
     * means inference (no dropout).
     */
    private void forwardInto(float[] x, int sample, int total, int from, int length, SplittableRandom random,
            int stateRow) {
        int stateAt = stateRow * units;
        for (int t = 0; t < length; t++) {
            float[] layerIn = in[0];
            int inAt = t * inputSize;
            for (int f = 0; f < inputSize; f++) {
                layerIn[inAt + f] = x[(sample * inputSize + f) * total + from + t];
            }
            for (int l = 0; l < layers; l++) {
                int nIn = layerInputs(l);
                float[] input = in[l];
                int inputAt = t * nIn;
                if (l > 0) {
                    dropInto(hidden[l - 1], t * units, input, inputAt, inMask[l], units, random);
                }
                float[] hPrev = t == 0 ? h[l] : hidden[l];
                int hPrevAt = t == 0 ? stateAt : (t - 1) * units;
                float[] cPrev = t == 0 ? c[l] : cell[l];
                int cPrevAt = t == 0 ? stateAt : (t - 1) * units;
                float[] gt = gate[l];
                int gAt = t * gates;
                for (int g = 0; g < gates; g++) {
                    gt[gAt + g] = params[biasStart[l] + g]
                            + dot(input, inputAt, params, weightStart[l] + g * nIn, nIn)
                            + dot(hPrev, hPrevAt, params, recurrentStart[l] + g * units, units);
                }
                float[] cl = cell[l];
                float[] tl = cellTanh[l];
                float[] hl = hidden[l];
                int at = t * units;
                for (int j = 0; j < units; j++) {
                    float a = (float) Math.tanh(gt[gAt + j]);
                    float fg = sigmoid(gt[gAt + units + j]);
                    float o = sigmoid(gt[gAt + 2 * units + j]);
                    float i = sigmoid(gt[gAt + 3 * units + j]);
                    gt[gAt + j] = a;
                    gt[gAt + units + j] = fg;
                    gt[gAt + 2 * units + j] = o;
                    gt[gAt + 3 * units + j] = i;
                    float cn = fg * cPrev[cPrevAt + j] + i * a;
                    float tc = (float) Math.tanh(cn);
                    cl[at + j] = cn;
                    tl[at + j] = tc;
                    hl[at + j] = o * tc;
                }
            }
            dropInto(hidden[layers - 1], t * units, topIn, t * units, topMask, units, random);
            output[t] = params[denseBias] + dot(topIn, t * units, params, denseStart, units);
        }
        // The initial state of this segment is needed by the backward pass; keep it aside before
        // carrying the last step's state on.
        for (int l = 0; l < layers; l++) {
            System.arraycopy(h[l], stateAt, initialH[l], 0, units);
            System.arraycopy(c[l], stateAt, initialC[l], 0, units);
            System.arraycopy(hidden[l], (length - 1) * units, h[l], stateAt, units);
            System.arraycopy(cell[l], (length - 1) * units, c[l], stateAt, units);
        }
    }

    private void backward(float[] dOut, int length, int sample) {
        float[] dTop = new float[length * units];
        for (int t = 0; t < length; t++) {
            float d = dOut[t];
            gradient[denseBias] += d;
            axpy(d, topIn, t * units, gradient, denseStart, units);
            for (int j = 0; j < units; j++) {
                dTop[t * units + j] = d * params[denseStart + j] * topMask[t * units + j];
            }
        }
        float[] dHidden = dTop;
        float[] dhNext = new float[units];
        float[] dcNext = new float[units];
        float[] dz = new float[gates];
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = layerInputs(l);
            float[] dBelow = l > 0 ? new float[length * units] : null;
            Arrays.fill(dhNext, 0f);
            Arrays.fill(dcNext, 0f);
            float[] gt = gate[l];
            float[] cl = cell[l];
            float[] tl = cellTanh[l];
            float[] input = in[l];
            for (int t = length - 1; t >= 0; t--) {
                int at = t * units;
                int gAt = t * gates;
                float[] cPrev = t == 0 ? initialC[l] : cl;
                int cPrevAt = t == 0 ? 0 : (t - 1) * units;
                for (int j = 0; j < units; j++) {
                    float a = gt[gAt + j];
                    float fg = gt[gAt + units + j];
                    float o = gt[gAt + 2 * units + j];
                    float i = gt[gAt + 3 * units + j];
                    float tc = tl[at + j];
                    float dh = dHidden[at + j] + dhNext[j];
                    float dc = dh * o * (1 - tc * tc) + dcNext[j];
                    dz[j] = dc * i * (1 - a * a);
                    dz[units + j] = dc * cPrev[cPrevAt + j] * fg * (1 - fg);
                    dz[2 * units + j] = dh * tc * o * (1 - o);
                    dz[3 * units + j] = dc * a * i * (1 - i);
                    dcNext[j] = dc * fg;
                }
                float[] hPrev = t == 0 ? initialH[l] : hidden[l];
                int hPrevAt = t == 0 ? 0 : (t - 1) * units;
                Arrays.fill(dhNext, 0f);
                int inputAt = t * nIn;
                for (int g = 0; g < gates; g++) {
                    float d = dz[g];
                    gradient[biasStart[l] + g] += d;
                    axpy(d, input, inputAt, gradient, weightStart[l] + g * nIn, nIn);
                    axpy(d, hPrev, hPrevAt, gradient, recurrentStart[l] + g * units, units);
                    axpy(d, params, recurrentStart[l] + g * units, dhNext, 0, units);
                    if (dBelow != null) {
                        axpy(d, params, weightStart[l] + g * nIn, dBelow, at, units);
                    }
                }
            }
            if (dBelow != null) {
                float[] mask = inMask[l];
                for (int k = 0; k < dBelow.length; k++) {
                    dBelow[k] *= mask[k];
                }
            }
            dHidden = dBelow;
        }
    }

    /** {@code to = from * mask}, the mask drawn for inverted dropout; all ones (copied) without random. */
    private void dropInto(float[] from, int fromAt, float[] to, int toAt, float[] mask, int n, SplittableRandom random) {
        float kept = (float) (1 / keep);
        for (int j = 0; j < n; j++) {
            float m = random == null || keep >= 1 ? 1f : (random.nextDouble() < keep ? kept : 0f);
            mask[toAt + j] = m;
            to[toAt + j] = from[fromAt + j] * m;
        }
    }

    private int layerInputs(int layer) {
        return layer == 0 ? inputSize : units;
    }

    private void ensureCaches(int length) {
        if (cachedLength >= length) {
            return;
        }
        in = new float[layers][];
        gate = new float[layers][];
        cell = new float[layers][];
        cellTanh = new float[layers][];
        hidden = new float[layers][];
        inMask = new float[layers][];
        initialH = new float[layers][units];
        initialC = new float[layers][units];
        for (int l = 0; l < layers; l++) {
            in[l] = new float[length * layerInputs(l)];
            gate[l] = new float[length * gates];
            cell[l] = new float[length * units];
            cellTanh[l] = new float[length * units];
            hidden[l] = new float[length * units];
            inMask[l] = new float[length * layerInputs(l)];
        }
        topIn = new float[length * units];
        topMask = new float[length * units];
        output = new float[length];
        cachedLength = length;
    }

    private static float sigmoid(float z) {
        return (float) (1 / (1 + Math.exp(-z)));
    }

    /** Four running sums, so the JIT can overlap the multiply-adds of a 25- to 80-long row. */
    static float dot(float[] a, int aAt, float[] b, int bAt, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[aAt + k] * b[bAt + k];
            s1 += a[aAt + k + 1] * b[bAt + k + 1];
            s2 += a[aAt + k + 2] * b[bAt + k + 2];
            s3 += a[aAt + k + 3] * b[bAt + k + 3];
        }
        for (; k < n; k++) {
            s0 += a[aAt + k] * b[bAt + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y += s * x} over {@code n} elements: a loop the JIT turns into vector code. */
    static void axpy(float s, float[] x, int xAt, float[] y, int yAt, int n) {
        for (int k = 0; k < n; k++) {
            y[yAt + k] += s * x[xAt + k];
        }
    }
}
