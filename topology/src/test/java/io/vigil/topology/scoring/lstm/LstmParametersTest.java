package io.vigil.topology.scoring.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class LstmParametersTest {

    private static final LstmArchitecture SHAPE = LstmArchitecture.newBuilder()
            .setInputSize(2).setLayers(2).setUnits(3).setOutputSize(2).build();

    /** Each value is its own index, so where it lands shows where the reader took it from. */
    private static float[] indexed(LstmArchitecture a) {
        float[] flat = new float[(int) LstmParameters.parameterCount(a)];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = i;
        }
        return flat;
    }

    @Test
    void readsEachBlockColumnMajorInDl4jOrder() {
        for (Precision precision : Precision.values()) { // small integers are exact in binary16 too
            LstmParameters p = LstmParameters.fromFloats(SHAPE, indexed(SHAPE), precision);
            // layer 0: W [2,12] at 0, RW [3,12] at 24, b at 60; layer 1: W [3,12] at 72, RW at 108,
            // b at 144; dense W [3,2] at 156, b at 162.
            assertEquals(0 + 1 + 5 * 2, p.inputWeight(0, 1, 5));
            assertEquals(24 + 2 + 7 * 3, p.recurrentWeight(0, 2, 7));
            assertEquals(60 + 11, p.bias(0, 11));
            assertEquals(72 + 1 + 4 * 3, p.inputWeight(1, 1, 4));
            assertEquals(108 + 0 + 11 * 3, p.recurrentWeight(1, 0, 11));
            assertEquals(144 + 3, p.bias(1, 3));
            assertEquals(156 + 2 + 1 * 3, p.outputWeight(2, 1));
            assertEquals(163, p.outputBias(1));
        }
        assertEquals(164, LstmParameters.parameterCount(SHAPE));
    }

    @Test
    void readsUpperLayersAndWidthsThatFitNoVectorLength() {
        // 4H = 84 gate columns: not a multiple of 8 or 16 lanes.
        LstmArchitecture a = TestNetworks.shape(2, 21);
        float[] flat = indexed(a);
        LstmParameters p = LstmParameters.fromFloats(a, flat, Precision.FLOAT32);
        int layer1 = (1 + 21 + 1) * 84; // start of 1_W
        int rw1 = layer1 + 21 * 84;
        for (int col : new int[] {0, 63, 64, 83}) {
            assertEquals(flat[layer1 + 20 + col * 21], p.inputWeight(1, 20, col));
            assertEquals(flat[rw1 + 3 + col * 21], p.recurrentWeight(1, 3, col));
            assertEquals(flat[84 + 5 + col * 21], p.recurrentWeight(0, 5, col));
        }
    }

    @Test
    void readsLittleEndianBytesWithoutMovingTheCallersPosition() {
        float[] flat = indexed(SHAPE);
        ByteBuffer bytes = ByteBuffer.allocate(3 + flat.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(3);
        for (float v : flat) {
            bytes.putFloat(v);
        }
        bytes.position(3);
        bytes.order(ByteOrder.BIG_ENDIAN); // the reader must not depend on the caller's order
        LstmParameters p = LstmParameters.fromBytes(SHAPE, bytes);
        assertEquals(3, bytes.position());
        assertEquals(24 + 2 + 7 * 3, p.recurrentWeight(0, 2, 7));
        assertEquals(163, p.outputBias(1));
    }

    @Test
    void rejectsAByteCountThatDoesNotMatchTheArchitecture() {
        LstmArchitecture a = TestNetworks.shape(2, 80);
        var tooShort = ByteBuffer.allocate(77_841 * 4 - 4);
        var e = assertThrows(IllegalArgumentException.class, () -> LstmParameters.fromBytes(a, tooShort));
        assertTrue(e.getMessage().contains("311360 bytes") && e.getMessage().contains("77841 float32 values = 311364 bytes"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LstmParameters.fromBytes(a, ByteBuffer.allocate(77_841 * 4 + 1)));
        assertThrows(IllegalArgumentException.class,
                () -> LstmParameters.fromFloats(a, new float[77_840], Precision.FLOAT32));
        LstmParameters.fromBytes(a, ByteBuffer.allocate(77_841 * 4));
    }

    @Test
    void rejectsImpossibleShapesAndNonFiniteWeights() {
        LstmArchitecture noUnits = TestNetworks.shape(1, 0);
        assertThrows(IllegalArgumentException.class, () -> LstmParameters.parameterCount(noUnits));
        LstmArchitecture huge = TestNetworks.shape(1000, 100_000);
        assertThrows(IllegalArgumentException.class, () -> LstmParameters.parameterCount(huge));
        LstmArchitecture overflowing = TestNetworks.shape(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> LstmParameters.parameterCount(overflowing));
        float[] flat = indexed(SHAPE);
        flat[17] = Float.NaN;
        var e = assertThrows(IllegalArgumentException.class,
                () -> LstmParameters.fromFloats(SHAPE, flat, Precision.FLOAT32));
        assertTrue(e.getMessage().contains("parameter 17"), e.getMessage());
    }

    @Test
    void halfPrecisionRoundsHiddenFedWeightsToBinary16AndKeepsTheRestExact() {
        float[] flat = indexed(SHAPE);
        // 0_RW [3,12] starts at 24: flat[24 + r + 3 col] is recurrentWeight(0, r, col).
        flat[24] = 1 + 0x1p-11f;     // half-way between binary16 neighbours 1 and 1 + 2^-10: to even, 1
        flat[25] = 1 + 3 * 0x1p-11f; // half-way between 1 + 2^-10 and 1 + 2^-9: to even, 1 + 2^-9
        flat[26] = 1e-6f;            // below 2^-15: 0
        flat[27] = 4e-5f;            // between 2^-15 and the smallest normal 2^-14: 2^-14
        flat[28] = -4e-5f;
        flat[29] = 1f / 3;
        flat[5] = 1f / 3;            // 0_W: fed by the raw input, stays float32
        flat[60] = 1f / 3;           // a bias
        LstmParameters p = LstmParameters.fromFloats(SHAPE, flat, Precision.HALF);
        assertEquals(1f, p.recurrentWeight(0, 0, 0));
        assertEquals(1 + 0x1p-9f, p.recurrentWeight(0, 1, 0));
        assertEquals(0f, p.recurrentWeight(0, 2, 0));
        assertEquals(0x1p-14f, p.recurrentWeight(0, 0, 1));
        assertEquals(-0x1p-14f, p.recurrentWeight(0, 1, 1));
        float third = p.recurrentWeight(0, 2, 1);
        assertTrue(third != 1f / 3 && Math.abs(third - 1f / 3) <= (1f / 3) * 0x1p-11f, "11 significant bits: " + third);
        assertEquals(1f / 3, p.inputWeight(0, 1, 2));
        assertEquals(1f / 3, p.bias(0, 0));
        assertEquals(156 + 2 + 3, p.outputWeight(2, 1), "the dense layer stays float32");
        assertTrue(p.weightBytes() < LstmParameters.fromFloats(SHAPE, indexed(SHAPE), Precision.FLOAT32).weightBytes());
    }

    @Test
    void halfPrecisionRejectsWeightsBeyondItsRange() {
        float[] flat = indexed(SHAPE);
        flat[30] = 65504f; // the largest binary16
        assertEquals(65504f, LstmParameters.fromFloats(SHAPE, flat, Precision.HALF).recurrentWeight(0, 0, 2));
        flat[30] = 70_000f;
        var e = assertThrows(IllegalArgumentException.class, () -> LstmParameters.fromFloats(SHAPE, flat, Precision.HALF));
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
        LstmParameters.fromFloats(SHAPE, flat, Precision.FLOAT32);
    }
}
