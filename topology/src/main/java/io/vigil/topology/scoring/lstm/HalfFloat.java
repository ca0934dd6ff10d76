package io.vigil.topology.scoring.lstm;

/**
 * IEEE 754 binary16 weights ({@code Float.floatToFloat16} arrived only in Java 20), with two
 * simplifications that suit LSTM weights: values below the smallest normal half (2^-14) round to
 * zero or to it, so no subnormal ever reaches the arithmetic, and non-finite values are refused.
 *
 * <p>Widening is cheap in vector lanes: the sign-extended 16 bits shifted left by 13 and masked with
 * {@link #WIDEN_MASK} are the bits of a float32 equal to the weight times 2^-112, exactly (the
 * exponent bias differs by 112), so callers multiply the other operand by {@link #SCALE} instead of
 * every weight.
 */
final class HalfFloat {

    /** Keeps the sign (bit 31) and the 15 bits of exponent and mantissa (bits 27..13). */
    static final int WIDEN_MASK = 0x8FFF_E000;
    /** 2^112: the exponent bias of float32 minus that of binary16, in the value. */
    static final float SCALE = 0x1p112f;
    /** Past this the nearest half is infinity. */
    private static final float OVERFLOW = 65520f;

    private HalfFloat() {}

    /**
     * The nearest binary16 value, ties to even.
     *
     * @throws IllegalArgumentException if the value is not finite or too large for binary16 (65504)
     */
    static short fromFloat(float value) {
        float magnitude = Math.abs(value);
        if (!(magnitude < OVERFLOW)) {
            throw new IllegalArgumentException("weight " + value + " does not fit 16-bit weights (|w| <= 65504)");
        }
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        if (magnitude < 0x1p-15f) {
            return (short) sign;
        }
        if (magnitude < 0x1p-14f) {
            return (short) (sign | 0x0400);
        }
        int abs = bits & 0x7FFF_FFFF;
        // Adding 0x0FFF plus the lowest kept bit rounds the 13 dropped bits half to even; a carry into
        // the exponent is the correct rounding up to the next binade.
        int rounded = abs + 0x0FFF + ((abs >>> 13) & 1);
        return (short) (sign | ((rounded >>> 13) - (112 << 10)));
    }

    /** The value of a binary16 produced by {@link #fromFloat}. */
    static float toFloat(short half) {
        return widenScaled(half) * SCALE;
    }

    /** The half's value times 2^-112, as the kernels use it. */
    static float widenScaled(short half) {
        return Float.intBitsToFloat((half << 13) & WIDEN_MASK);
    }
}
