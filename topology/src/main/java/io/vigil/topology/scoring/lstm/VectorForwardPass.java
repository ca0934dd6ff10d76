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
 * are evaluated a vector at a time through the vectorized exp. Only {@link LstmForwardPasses} instantiates it, after checking the module is present.
 */
final class VectorForwardPass implements LstmForwardPass {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** As many 16-bit lanes as F has float lanes, so one load widens into one float vector. */
    private static final VectorSpecies<Short> S =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    @Override
    public float step(LstmParameters p, LstmState state, float x) {
        p.checkSteppable(state);
        StepScratch scratch = StepScratch.forStep(p);
        float[] z = scratch.z;
        float[] u = scratch.u;
        boolean half = p.halfRows != null;
        float[] below = null;
        for (int l = 0; l < p.layers(); l++) {
            float[] h = state.h[l];
            float[] b = p.bias[l];
            StepScratch.startGates(p, l, x, z);
            int n = StepScratch.hiddenInputs(below, h, half ? HalfFloat.SCALE : 1f, u);
            if (half) {
                accumulate(p.halfRows[l], n, u, z, b.length);
            } else {
                accumulate(p.rows[l], n, u, z, b.length);
            }
            updateCells(z, h, state.c[l]);
            below = h;
        }
        return dot(p.dense[0], below, p.denseBias[0]);
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

    private static void updateCells(float[] z, float[] h, float[] c) {
        int units = h.length;
        int bound = F.loopBound(units);
        int k = 0;
        for (; k < bound; k += L) {
            FloatVector a = tanh(FloatVector.fromArray(F, z, k));
            FloatVector f = sigmoid(FloatVector.fromArray(F, z, units + k));
            FloatVector o = sigmoid(FloatVector.fromArray(F, z, 2 * units + k));
            FloatVector i = sigmoid(FloatVector.fromArray(F, z, 3 * units + k));
            FloatVector cell = f.fma(FloatVector.fromArray(F, c, k), i.mul(a));
            cell.intoArray(c, k);
            o.mul(tanh(cell)).intoArray(h, k);
        }
        ScalarForwardPass.updateCells(z, h, c, k, units);
    }

    private static float dot(float[] w, float[] h, float bias) {
        int bound = F.loopBound(w.length);
        FloatVector sum = FloatVector.zero(F);
        int j = 0;
        for (; j < bound; j += L) {
            sum = FloatVector.fromArray(F, w, j).fma(FloatVector.fromArray(F, h, j), sum);
        }
        float total = bias + sum.reduceLanes(VectorOperators.ADD);
        for (; j < w.length; j++) {
            total += w[j] * h[j];
        }
        return total;
    }

    private static FloatVector sigmoid(FloatVector v) {
        return FloatVector.broadcast(F, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    /** Odd and computed on |v|, so exp never overflows and small |v| keeps its absolute accuracy. */
    private static FloatVector tanh(FloatVector v) {
        FloatVector t = v.abs().mul(-2f).lanewise(VectorOperators.EXP);
        FloatVector r = FloatVector.broadcast(F, 1f).sub(t).div(t.add(1f));
        return r.blend(r.neg(), v.lt(0f));
    }

    @Override
    public String toString() {
        return "vector forward pass (" + L + " float lanes)";
    }
}
