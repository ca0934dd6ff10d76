package io.vigil.topology.scoring.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardPassTest {

    private static final List<LstmForwardPass> PASSES = List.of(LstmForwardPasses.scalar(), LstmForwardPasses.vector());

    /**
     * One layer of two units, weights picked by hand (all exact in bfloat16 too), in DL4J's flat
     * layout: W [1,8], RW [2,8] column-major (so h0's and h1's weights alternate), b [8], dense W
     * [2,1], b [1]. Columns: a0 a1 f0 f1 o0 o1 i0 i1.
     */
    private static final float[] HAND = {
        0.5f, -1f, 0.25f, 0.75f, 1f, -0.5f, 2f, 0.125f,                     // W
        0.25f, -0.75f, 0.5f, 1f, -0.5f, 0.125f, 0f, -0.25f,                 // RW, column by column:
        0.75f, 0.5f, 0.25f, 1.5f, -1f, 0.25f, 0.5f, -0.5f,                  //   (h0 weight, h1 weight)
        0f, 0.25f, 1f, 1f, -0.25f, 0f, 0.5f, -0.125f,                       // b
        1.5f, -2f,                                                          // dense W
        0.25f                                                               // dense b
    };

    @Test
    void tinyNetworkStepsAsWorkedOutByHand() {
        for (Precision precision : Precision.values()) {
            LstmParameters p = LstmParameters.fromFloats(TestNetworks.shape(1, 2), HAND, precision);
            for (LstmForwardPass pass : PASSES) {
                LstmState state = LstmState.zero(1, 2);
                // Step 1, x = 0.5, from zero state: z = x W + b = [0.25, -0.25 | 1.125, 1.375 | 0.25, -0.25 | 1.5, -0.0625]
                // c = sig(f) * 0 + sig(i) * tanh(a) = [0.2002392471, -0.1186337223]
                // h = sig(o) * tanh(c) = [0.1110890202, -0.0516983253]; y = 1.5 h0 - 2 h1 + 0.25
                float y1 = pass.step(p, state, 0.5f);
                String where = pass.getClass().getSimpleName() + " " + precision;
                assertEquals(0.5200301809, y1, 1e-6, where);
                assertEquals(0.2002392471, state.cell(0, 0), 1e-6, where);
                assertEquals(-0.1186337223, state.cell(0, 1), 1e-6, where);
                assertEquals(0.1110890202, state.hidden(0, 0), 1e-6, where);
                assertEquals(-0.0516983253, state.hidden(0, 1), 1e-6, where);
                // Step 2, x = -1: z = x W + h RW + b
                //   = [-0.4334540010, 1.2538461848 | 0.6879931992, 0.2629245813 | -1.1925323975, 0.4502247671
                //      | -1.6240136015, -0.1686063273]
                // c = sig(f) c + sig(i) tanh(a) = [0.0660516830, 0.3218919130]; h = [0.0153549258, 0.1900576950]
                float y2 = pass.step(p, state, -1f);
                assertEquals(-0.1070830013, y2, 1e-6, where);
                assertEquals(0.0660516830, state.cell(0, 0), 1e-6, where);
                assertEquals(0.1900576950, state.hidden(0, 1), 1e-6, where);
            }
        }
    }

    @Test
    void scalarAndVectorAgreeOnARandomDefaultSizedNetwork() {
        assertPassesAgree(TestNetworks.shape(2, 80), 1_000, 1e-6);
    }

    @Test
    void scalarAndVectorAgreeWhenUnitsAreNotAMultipleOfTheVectorLength() {
        assertPassesAgree(TestNetworks.shape(3, 21), 300, 1e-6);
        assertPassesAgree(TestNetworks.shape(1, 1), 300, 1e-6);
    }

    private static void assertPassesAgree(LstmArchitecture a, int steps, double tolerance) {
        float[] flat = TestNetworks.randomFlat(a, 11);
        float[] xs = TestNetworks.series(steps, 5);
        for (Precision precision : Precision.values()) {
            LstmParameters p = LstmParameters.fromFloats(a, flat, precision);
            LstmState scalarState = LstmState.zero(a);
            LstmState vectorState = LstmState.zero(a);
            double maxError = 0;
            double maxForecast = 0;
            for (float x : xs) {
                float s = LstmForwardPasses.scalar().step(p, scalarState, x);
                float v = LstmForwardPasses.vector().step(p, vectorState, x);
                maxError = Math.max(maxError, Math.abs(s - v));
                maxForecast = Math.max(maxForecast, Math.abs(s));
            }
            assertTrue(maxError <= tolerance, a + " " + precision + ": max |scalar - vector| = " + maxError);
            assertTrue(maxForecast > 1e-3, "the forecasts are not trivially zero");
        }
    }

    @Test
    void channelsOfDifferentSizesInterleavedOnOneThreadStepAsIfAlone() {
        LstmArchitecture big = TestNetworks.shape(3, 21);
        float[] xs = TestNetworks.series(50, 2);
        for (Precision precision : Precision.values()) {
            LstmParameters small = LstmParameters.fromFloats(TestNetworks.shape(1, 2), HAND, precision);
            LstmParameters large = LstmParameters.fromFloats(big, TestNetworks.randomFlat(big, 8), precision);
            for (LstmForwardPass pass : PASSES) {
                float[] alone = new float[xs.length];
                LstmState aloneState = LstmState.zero(1, 2);
                for (int t = 0; t < xs.length; t++) {
                    alone[t] = pass.step(small, aloneState, xs[t]);
                }
                LstmState smallState = LstmState.zero(1, 2);
                LstmState largeState = LstmState.zero(big);
                for (int t = 0; t < xs.length; t++) {
                    pass.step(large, largeState, xs[t]);
                    assertEquals(alone[t], pass.step(small, smallState, xs[t]), pass + " " + precision + " step " + t);
                }
            }
        }
    }

    @Test
    void rejectsAStateOfAnotherShapeAndMultiFeatureInputs() {
        LstmParameters p = LstmParameters.fromFloats(TestNetworks.shape(1, 2), HAND, Precision.FLOAT32);
        LstmArchitecture twoFeatures = LstmArchitecture.newBuilder().setInputSize(2).setLayers(1).setUnits(2).setOutputSize(1).build();
        LstmParameters multi = LstmParameters.fromFloats(twoFeatures,
                new float[(int) LstmParameters.parameterCount(twoFeatures)], Precision.FLOAT32);
        for (LstmForwardPass pass : PASSES) {
            assertThrows(IllegalArgumentException.class, () -> pass.step(p, LstmState.zero(1, 3), 0f));
            assertThrows(IllegalArgumentException.class, () -> pass.step(p, LstmState.zero(2, 2), 0f));
            assertThrows(IllegalArgumentException.class, () -> pass.step(multi, LstmState.zero(1, 2), 0f));
        }
    }

    @Test
    void bestIsTheVectorPassWhenTheModuleIsPresent() {
        assertTrue(LstmForwardPasses.vectorAvailable(), "surefire runs topology tests with the vector module");
        assertEquals("VectorForwardPass", LstmForwardPasses.best().getClass().getSimpleName());
    }
}
