package io.vigil.topology.scoring.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import org.junit.jupiter.api.Test;

class LstmStateTest {

    @Test
    void zeroStatesAreAllZeroAndIndependent() {
        LstmState zero = LstmState.zero(TestNetworks.shape(2, 3));
        LstmState copy = LstmState.zero(TestNetworks.shape(2, 3));
        LstmForwardPasses.scalar().step(
                LstmParameters.fromFloats(TestNetworks.shape(2, 3), TestNetworks.randomFlat(TestNetworks.shape(2, 3), 1),
                        Precision.FLOAT32), copy, 1f);
        boolean moved = false;
        for (int l = 0; l < 2; l++) {
            for (int u = 0; u < 3; u++) {
                assertEquals(0f, zero.hidden(l, u));
                assertEquals(0f, zero.cell(l, u));
                moved |= copy.hidden(l, u) != 0f;
            }
        }
        assertEquals(true, moved, "the other state stepped");
    }

    @Test
    void aRestoredUnitIsTheOneSet() {
        LstmState state = LstmState.zero(2, 4);
        state.restore(1, 3, 0.25f, -0.5f);
        assertEquals(0.25f, state.hidden(1, 3));
        assertEquals(-0.5f, state.cell(1, 3));
        assertThrows(IllegalArgumentException.class, () -> LstmState.zero(0, 4));
    }
}
