package io.vigil.topology.scoring.lstm;

import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_HIGH;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_LOW;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_P0;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_P1;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_P2;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_P3;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_P4;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.EXP_P5;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.LN2_HIGH;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.LN2_LOW;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.LOG2E;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.ROUNDING_SHIFT;
import static io.vigil.topology.scoring.lstm.VectorForwardPass.ROUNDING_SHIFT_BITS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** The forward pass's vector exp: accurate, saturating, and the same bits however the JVM runs it. */
class VectorExpTest {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Every 1/1000 from -100 to 100, then random floats over the range the gates see. */
    private static float[] inputs() {
        int grid = 200_001;
        float[] xs = new float[grid + 100_000];
        for (int i = 0; i < grid; i++) {
            xs[i] = -100f + i / 1000f;
        }
        SplittableRandom random = new SplittableRandom(17);
        for (int i = grid; i < xs.length; i++) {
            xs[i] = (float) random.nextDouble(-30, 30);
        }
        return xs;
    }

    private static float[] vectorExp(float[] xs) {
        return apply(VectorForwardPass.EXP, xs);
    }

    /** The vector function over all of {@code xs}, padded to whole vectors. */
    private static float[] apply(int fn, float[] xs) {
        int padded = (xs.length + F.length() - 1) / F.length() * F.length();
        float[] out = new float[padded];
        VectorForwardPass.apply(fn, Arrays.copyOf(xs, padded), 0, out, 0, padded);
        return Arrays.copyOf(out, xs.length);
    }

    @Test
    void withinTwoUlpOfMathExpAndSaturatingBeyondTheBounds() {
        float[] xs = inputs();
        float[] got = vectorExp(xs);
        double worstUlps = 0;
        for (int i = 0; i < xs.length; i++) {
            float x = xs[i];
            if (x < EXP_LOW || x > EXP_HIGH) {
                float bound = x < EXP_LOW ? got[0] : vectorExp(new float[] {EXP_HIGH})[0];
                assertEquals(bound, got[i], "saturates at the bound's value: x=" + x);
                continue;
            }
            float exact = (float) Math.exp(x);
            double ulps = Math.abs(got[i] - (double) Math.exp(x)) / Math.ulp(exact);
            worstUlps = Math.max(worstUlps, ulps);
            assertTrue(ulps <= 2, "exp(" + x + ") = " + got[i] + ", Math.exp " + exact + ": " + ulps + " ulp");
        }
        System.out.printf("vector exp: worst %.2f ulp over [%s, %s]%n", worstUlps, EXP_LOW, EXP_HIGH);
        assertTrue(got[0] > 0 && got[0] < 1e-37f, "e^-100 saturates near e^-87, not at 0 or below it: " + got[0]);
    }

    /**
     * Each lane's operations are exactly rounded, so the same formula written with scalar {@code Math.fma}
     * gives the same bits: nothing in it depends on a math library, a reduction order or the JIT.
     */
    @Test
    void bitIdenticalToTheFormulaStepByStep() {
        float[] xs = inputs();
        float[] got = vectorExp(xs);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Float.floatToRawIntBits(scalarExp(xs[i])), Float.floatToRawIntBits(got[i]), "x=" + xs[i]);
        }
    }

    @Test
    void sigmoidAndTanhAreTheFormulaStepByStepToo() {
        float[] xs = inputs();
        float[] sigmoid = apply(VectorForwardPass.SIGMOID, xs);
        float[] tanh = apply(VectorForwardPass.TANH, xs);
        for (int i = 0; i < xs.length; i++) {
            float x = xs[i];
            float e = scalarExp(-2f * Math.abs(x));
            float t = (1f - e) / (e + 1f);
            assertEquals(Float.floatToRawIntBits(1f / (scalarExp(-x) + 1f)), Float.floatToRawIntBits(sigmoid[i]), "x=" + x);
            assertEquals(Float.floatToRawIntBits(x < 0 ? -t : t), Float.floatToRawIntBits(tanh[i]), "x=" + x);
            assertEquals(ScalarForwardPass.sigmoid(x), sigmoid[i], 3e-7f, "sigmoid " + x);
            assertEquals(ScalarForwardPass.tanh(x), tanh[i], 3e-7f, "tanh " + x);
        }
    }

    private static float scalarExp(float x) {
        float v = Math.min(Math.max(x, EXP_LOW), EXP_HIGH);
        float shifted = Math.fma(v, LOG2E, ROUNDING_SHIFT);
        float n = shifted - ROUNDING_SHIFT;
        float r = Math.fma(n, -LN2_HIGH, v) - n * LN2_LOW;
        float p = EXP_P0;
        p = Math.fma(p, r, EXP_P1);
        p = Math.fma(p, r, EXP_P2);
        p = Math.fma(p, r, EXP_P3);
        p = Math.fma(p, r, EXP_P4);
        p = Math.fma(p, r, EXP_P5);
        p = Math.fma(p, r * r, r + 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) + 127 - ROUNDING_SHIFT_BITS) << 23);
    }
}
