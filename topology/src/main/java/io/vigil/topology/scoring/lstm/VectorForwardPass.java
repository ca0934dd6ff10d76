package io.vigil.topology.scoring.lstm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass with the JDK's Vector API (incubating in Java 17). Four vectors of z stay in
 * registers while that chunk of every row is multiplied in with fused multiply-adds, so each weight
 * vector costs one load and nothing is stored until the chunk is done. Adding a row at a time
 * instead, which loads and stores z for every weight vector, measured 2.5x slower with 512-bit
 * vectors here (unaligned 64-byte accesses split cache lines, likely the cause). Sigmoid and tanh
 * are evaluated a vector at a time by {@link #apply}.
 *
 * <p>Reproducible to the bit: every operation used is exactly rounded per lane, so a step gives the same
 * floats whether the JVM interprets it or runs C2's code. The Vector API's own {@code EXP} does not (a
 * vector math library in C2's code, {@code Math.exp} per lane otherwise: 1-4 % of results differed in the
 * last bit), nor does {@code reduceLanes(ADD)}, whose order is unspecified; a replay or a restarted
 * scorer must forecast what the first run forecast. Only {@link LstmForwardPasses} instantiates it,
 * after checking the module is present.
 */
final class VectorForwardPass implements LstmForwardPass {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** As many 16-bit lanes as F has float lanes, so one load widens into one float vector. */
    private static final VectorSpecies<Short> S =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    static final float EXP_LOW = -87f;
    static final float EXP_HIGH = 88f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: its ulp is 1, so adding it rounds to an integer, kept in the low bits. */
    static final float ROUNDING_SHIFT = 0x1.8p23f;
    static final int ROUNDING_SHIFT_BITS = 0x4B400000;
    /** ln 2 split so that n * LN2_HIGH is exact for the n that occur. */
    static final float LN2_HIGH = 0.693359375f;
    static final float LN2_LOW = -2.12194440e-4f;
    static final float EXP_P0 = 1.9875691500e-4f;
    static final float EXP_P1 = 1.3981999507e-3f;
    static final float EXP_P2 = 8.3334519073e-3f;
    static final float EXP_P3 = 4.1665795894e-2f;
    static final float EXP_P4 = 1.6666665459e-1f;
    static final float EXP_P5 = 5.0000001201e-1f;

    @Override
    public float step(LstmParameters p, LstmState state, float x, float[] inputs) {
        p.checkSteppable(state, inputs);
        StepScratch scratch = StepScratch.forStep(p);
        if (scratch.lanes.length != L) {
            scratch.lanes = new float[L];
        }
        float[] z = scratch.z;
        float[] u = scratch.u;
        boolean half = p.halfRows != null;
        float[] below = null;
        for (int l = 0; l < p.layers(); l++) {
            float[] h = state.h[l];
            float[] b = p.bias[l];
            StepScratch.startGates(p, l, x, inputs, z);
            int n = StepScratch.hiddenInputs(below, h, half ? HalfFloat.SCALE : 1f, u);
            if (half) {
                accumulate(p.halfRows[l], n, u, z, b.length);
            } else {
                accumulate(p.rows[l], n, u, z, b.length);
            }
            updateCells(z, h, state.c[l], scratch.t);
            below = h;
        }
        return dot(p.dense[0], below, p.denseBias[0], scratch.lanes);
    }

    /**
     * z[0, g) += sum over rows j of u[j] * row j, from block-major rows (LstmParameters): per block,
     * 4L columns of z stay in registers while every row's part of them streams by in memory order.
     */
    private static void accumulate(float[] w, int n, float[] u, float[] z, int g) {
        for (int start = 0; start < g; start += LstmParameters.BLOCK) {
            int width = Math.min(LstmParameters.BLOCK, g - start);
            int c = 0;
            for (; c + 4 * L <= width; c += 4 * L) {
                int k = start + c;
                FloatVector a0 = FloatVector.fromArray(F, z, k);
                FloatVector a1 = FloatVector.fromArray(F, z, k + L);
                FloatVector a2 = FloatVector.fromArray(F, z, k + 2 * L);
                FloatVector a3 = FloatVector.fromArray(F, z, k + 3 * L);
                for (int j = 0, at = n * start + c; j < n; j++, at += width) {
                    FloatVector s = FloatVector.broadcast(F, u[j]);
                    a0 = FloatVector.fromArray(F, w, at).fma(s, a0);
                    a1 = FloatVector.fromArray(F, w, at + L).fma(s, a1);
                    a2 = FloatVector.fromArray(F, w, at + 2 * L).fma(s, a2);
                    a3 = FloatVector.fromArray(F, w, at + 3 * L).fma(s, a3);
                }
                a0.intoArray(z, k);
                a1.intoArray(z, k + L);
                a2.intoArray(z, k + 2 * L);
                a3.intoArray(z, k + 3 * L);
            }
            for (; c + L <= width; c += L) {
                FloatVector a = FloatVector.fromArray(F, z, start + c);
                for (int j = 0, at = n * start + c; j < n; j++, at += width) {
                    a = FloatVector.fromArray(F, w, at).fma(FloatVector.broadcast(F, u[j]), a);
                }
                a.intoArray(z, start + c);
            }
            for (; c < width; c++) {
                float sum = z[start + c];
                for (int j = 0, at = n * start + c; j < n; j++, at += width) {
                    sum += u[j] * w[at];
                }
                z[start + c] = sum;
            }
        }
    }

    /** As above, for binary16 rows and u already scaled by 2^112. */
    private static void accumulate(short[] w, int n, float[] u, float[] z, int g) {
        for (int start = 0; start < g; start += LstmParameters.BLOCK) {
            int width = Math.min(LstmParameters.BLOCK, g - start);
            int c = 0;
            for (; c + 4 * L <= width; c += 4 * L) {
                int k = start + c;
                FloatVector a0 = FloatVector.fromArray(F, z, k);
                FloatVector a1 = FloatVector.fromArray(F, z, k + L);
                FloatVector a2 = FloatVector.fromArray(F, z, k + 2 * L);
                FloatVector a3 = FloatVector.fromArray(F, z, k + 3 * L);
                for (int j = 0, at = n * start + c; j < n; j++, at += width) {
                    FloatVector s = FloatVector.broadcast(F, u[j]);
                    a0 = widen(w, at).fma(s, a0);
                    a1 = widen(w, at + L).fma(s, a1);
                    a2 = widen(w, at + 2 * L).fma(s, a2);
                    a3 = widen(w, at + 3 * L).fma(s, a3);
                }
                a0.intoArray(z, k);
                a1.intoArray(z, k + L);
                a2.intoArray(z, k + 2 * L);
                a3.intoArray(z, k + 3 * L);
            }
            for (; c + L <= width; c += L) {
                FloatVector a = FloatVector.fromArray(F, z, start + c);
                for (int j = 0, at = n * start + c; j < n; j++, at += width) {
                    a = widen(w, at).fma(FloatVector.broadcast(F, u[j]), a);
                }
                a.intoArray(z, start + c);
            }
            for (; c < width; c++) {
                float sum = z[start + c];
                for (int j = 0, at = n * start + c; j < n; j++, at += width) {
                    sum += u[j] * HalfFloat.widenScaled(w[at]);
                }
                z[start + c] = sum;
            }
        }
    }

    /** L binary16 weights as float32 times 2^-112 (see HalfFloat): sign-extend, shift, mask. */
    private static FloatVector widen(short[] segment, int offset) {
        return ShortVector.fromArray(S, segment, offset)
                .convertShape(VectorOperators.S2I, I, 0)
                .reinterpretAsInts()
                .lanewise(VectorOperators.LSHL, 13)
                .lanewise(VectorOperators.AND, HalfFloat.WIDEN_MASK)
                .reinterpretAsFloats();
    }

    /**
     * Gates, cells and hidden outputs a vector at a time. The activations run in {@link #apply} over
     * arrays, not as methods on vectors: C2 boxes a vector that crosses a call it did not inline, and
     * an exp inlined into every gate made the step too large to inline whole (it ran 2-4x slower).
     */
    private static void updateCells(float[] z, float[] h, float[] c, float[] tanhOfCell) {
        int units = h.length;
        int bound = F.loopBound(units);
        apply(TANH, z, 0, z, 0, bound);
        for (int gate = 1; gate < 4; gate++) {
            apply(SIGMOID, z, gate * units, z, gate * units, bound);
        }
        for (int k = 0; k < bound; k += L) {
            FloatVector a = FloatVector.fromArray(F, z, k);
            FloatVector f = FloatVector.fromArray(F, z, units + k);
            FloatVector i = FloatVector.fromArray(F, z, 3 * units + k);
            f.fma(FloatVector.fromArray(F, c, k), i.mul(a)).intoArray(c, k);
        }
        apply(TANH, c, 0, tanhOfCell, 0, bound);
        for (int k = 0; k < bound; k += L) {
            FloatVector o = FloatVector.fromArray(F, z, 2 * units + k);
            o.mul(FloatVector.fromArray(F, tanhOfCell, k)).intoArray(h, k);
        }
        ScalarForwardPass.updateCells(z, h, c, bound, units);
    }

    private static float dot(float[] w, float[] h, float bias, float[] lanes) {
        int bound = F.loopBound(w.length);
        FloatVector sum = FloatVector.zero(F);
        int j = 0;
        for (; j < bound; j += L) {
            sum = FloatVector.fromArray(F, w, j).fma(FloatVector.fromArray(F, h, j), sum);
        }
        sum.intoArray(lanes, 0);
        float total = bias;
        for (float lane : lanes) { // in lane order: reduceLanes(ADD) leaves the order open
            total += lane;
        }
        for (; j < w.length; j++) {
            total += w[j] * h[j];
        }
        return total;
    }

    static final int EXP = 0;
    static final int SIGMOID = 1;
    static final int TANH = 2;

    /**
     * dst[to + k] = fn(src[from + k]) for k in [0, count), count a multiple of the lane count; fn is
     * {@link #EXP}, {@link #SIGMOID} (1 / (1 + e^-v)) or {@link #TANH} (odd, through e^(-2|v|), so exp
     * never overflows and small |v| keeps its absolute accuracy).
     *
     * <p>e^x is within 2 ulp of {@code Math.exp} for x in [-87, 88] (beyond, the bounds' values: the
     * activations only need them to saturate): x = n ln 2 + r with n the nearest integer and
     * |r| <= ln 2 / 2, e^r from Cephes' polynomial, 2^n put into the exponent bits. Adding 1.5 * 2^23
     * rounds to an integer and leaves it in the low mantissa bits, so no float-to-int conversion is
     * needed (Java 17's C2 does not vectorize one for 512-bit lanes). Deterministic: see the class comment.
     */
    static void apply(int fn, float[] src, int from, float[] dst, int to, int count) {
        for (int k = 0; k < count; k += L) {
            FloatVector v = FloatVector.fromArray(F, src, from + k);
            FloatVector x = fn == TANH ? v.abs().mul(-2f) : fn == SIGMOID ? v.neg() : v;
            x = x.max(EXP_LOW).min(EXP_HIGH);
            FloatVector shifted = x.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDING_SHIFT));
            FloatVector n = shifted.sub(ROUNDING_SHIFT);
            FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HIGH), x).sub(n.mul(LN2_LOW));
            FloatVector p = FloatVector.broadcast(F, EXP_P0);
            p = p.fma(r, FloatVector.broadcast(F, EXP_P1));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P2));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P3));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P4));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P5));
            p = p.fma(r.mul(r), r.add(1f));
            IntVector twoToN = ((IntVector) shifted.reinterpretAsInts()).add(127 - ROUNDING_SHIFT_BITS)
                    .lanewise(VectorOperators.LSHL, 23);
            FloatVector e = p.mul(twoToN.reinterpretAsFloats());
            FloatVector y;
            if (fn == TANH) {
                FloatVector t = FloatVector.broadcast(F, 1f).sub(e).div(e.add(1f));
                y = t.blend(t.neg(), v.lt(0f));
            } else if (fn == SIGMOID) {
                y = FloatVector.broadcast(F, 1f).div(e.add(1f));
            } else {
                y = e;
            }
            y.intoArray(dst, to + k);
        }
    }

    @Override
    public String toString() {
        return "vector forward pass (" + L + " float lanes)";
    }
}
