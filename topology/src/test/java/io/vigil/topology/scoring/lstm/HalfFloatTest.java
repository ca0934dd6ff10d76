package io.vigil.topology.scoring.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatTest {

    /** Binary16's value by its definition, for every pattern fromFloat can produce. */
    private static double definition(int bits) {
        int exponent = (bits >>> 10) & 0x1F;
        double magnitude = exponent == 0 ? (bits & 0x3FF) * 0x1p-24 : (1024 + (bits & 0x3FF)) * Math.scalb(1.0, exponent - 25);
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    @Test
    void widensEveryNormalHalfExactlyAndReadsItBack() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int exponent = (bits >>> 10) & 0x1F;
            if (exponent == 0x1F || (exponent == 0 && (bits & 0x3FF) != 0)) {
                continue; // infinities, NaNs and subnormals are never produced
            }
            float value = HalfFloat.toFloat((short) bits);
            assertEquals(definition(bits), value, 0.0, Integer.toHexString(bits));
            assertEquals((short) bits, HalfFloat.fromFloat(value), Integer.toHexString(bits));
        }
    }

    @Test
    void roundsToTheNearestHalf() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 100_000; i++) {
            float w = (float) (random.nextGaussian() * Math.scalb(1.0, random.nextInt(-14, 15)));
            float rounded = HalfFloat.toFloat(HalfFloat.fromFloat(w));
            // Below the smallest normal (2^-14) values go to 0 or 2^-14, within 2^-15.
            double halfUlp = Math.abs(w) < 0x1p-14f ? 0x1p-15 : Math.scalb(1.0, Math.getExponent(w) - 11);
            assertEquals(w, rounded, halfUlp, "w = " + w);
        }
    }

    @Test
    void refusesWhatBinary16CannotHold() {
        assertThrows(IllegalArgumentException.class, () -> HalfFloat.fromFloat(65520f));
        assertThrows(IllegalArgumentException.class, () -> HalfFloat.fromFloat(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> HalfFloat.fromFloat(Float.NEGATIVE_INFINITY));
        assertEquals(65504f, HalfFloat.toFloat(HalfFloat.fromFloat(65519f)));
    }
}
