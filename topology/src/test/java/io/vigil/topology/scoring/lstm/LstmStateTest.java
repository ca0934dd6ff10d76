package io.vigil.topology.scoring.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LstmStateTest {

    @Test
    void bytesRoundTripExactlyAndTheRestoredChannelForecastsTheSame() {
        LstmArchitecture a = TestNetworks.shape(2, 80);
        LstmParameters p = LstmParameters.fromFloats(a, TestNetworks.randomFlat(a, 3), Precision.FLOAT32);
        LstmForwardPass pass = LstmForwardPasses.scalar();
        float[] xs = TestNetworks.series(200, 9);
        LstmState state = LstmState.zero(a);
        for (int t = 0; t < 100; t++) {
            pass.step(p, state, xs[t]);
        }
        byte[] bytes = state.toBytes();
        assertEquals(1 + 4 + 4 + 2 * 2 * 80 * 4, bytes.length);
        LstmState restored = LstmState.fromBytes(bytes);
        assertArrayEquals(bytes, restored.toBytes());
        assertEquals(2, restored.layers());
        assertEquals(80, restored.units());
        assertEquals(state.cell(1, 79), restored.cell(1, 79));
        assertEquals(state.hidden(0, 0), restored.hidden(0, 0));
        for (int t = 100; t < 200; t++) {
            assertEquals(pass.step(p, state, xs[t]), pass.step(p, restored, xs[t]), "step " + t);
        }
    }

    @Test
    void zeroStateIsAllZeroAndCopiesAreIndependent() {
        LstmState zero = LstmState.zero(TestNetworks.shape(2, 3));
        byte[] bytes = zero.toBytes();
        for (int i = 9; i < bytes.length; i++) {
            assertEquals(0, bytes[i]);
        }
        LstmState copy = zero.copy();
        LstmForwardPasses.scalar().step(
                LstmParameters.fromFloats(TestNetworks.shape(2, 3), TestNetworks.randomFlat(TestNetworks.shape(2, 3), 1),
                        Precision.FLOAT32), copy, 1f);
        assertArrayEquals(bytes, zero.toBytes());
    }

    @Test
    void rejectsBytesThatAreNotAState() {
        byte[] good = LstmState.zero(2, 4).toBytes();
        assertThrows(IllegalArgumentException.class, () -> LstmState.fromBytes(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> LstmState.fromBytes(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> LstmState.fromBytes(Arrays.copyOf(good, good.length + 4)));
        byte[] otherFormat = good.clone();
        otherFormat[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> LstmState.fromBytes(otherFormat));
        assertThrows(IllegalArgumentException.class, () -> LstmState.zero(0, 4));
    }
}
