package io.vigil.models.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TelemanomNetworkTest {

    @Test
    void hasTelemanomsShapeAndTheParameterLayoutTheScorerReads() {
        MultiLayerNetwork network = TelemanomNetwork.create(TelemanomNetwork.defaultArchitecture(), 1e-3, 42);
        // LSTM(1->80): 1*320 + 80*320 + 320; LSTM(80->80): 80*320 + 80*320 + 320; dense 80*1 + 1.
        assertEquals(26_240 + 51_520 + 81, network.numParams());
        Map<String, INDArray> table = network.paramTable();
        assertArrayEquals(new long[] {1, 320}, table.get("0_W").shape());
        assertArrayEquals(new long[] {80, 320}, table.get("0_RW").shape());
        assertEquals(320, table.get("0_b").length());
        assertArrayEquals(new long[] {80, 320}, table.get("1_W").shape());
        assertArrayEquals(new long[] {80, 1}, table.get("2_W").shape());
        assertEquals(
                java.util.List.of("0_W", "0_RW", "0_b", "1_W", "1_RW", "1_b", "2_W", "2_b"),
                java.util.List.copyOf(table.keySet()));
    }

    @Test
    void stepsOneValueAtATimeCarryingState() {
        MultiLayerNetwork network = TelemanomNetwork.create(TelemanomNetwork.defaultArchitecture(), 1e-3, 7);
        INDArray x = Nd4j.create(new float[] {0.5f}, new long[] {1, 1, 1});
        double first = network.rnnTimeStep(x).getDouble(0);
        double second = network.rnnTimeStep(x).getDouble(0);
        network.rnnClearPreviousState();
        double again = network.rnnTimeStep(x).getDouble(0);
        assertEquals(first, again, 1e-9, "same input from a cleared state gives the same forecast");
        assertTrue(first != second, "the recurrent state changes the second forecast");
    }
}
