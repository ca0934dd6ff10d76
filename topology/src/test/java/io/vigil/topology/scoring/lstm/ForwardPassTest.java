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
    void rejectsAStateOfAnotherShapeAndInputsThatAreNotTheNetworks() {
        LstmParameters p = LstmParameters.fromFloats(TestNetworks.shape(1, 2), HAND, Precision.FLOAT32);
        LstmArchitecture twoFeatures = LstmArchitecture.newBuilder().setInputSize(2).setLayers(1).setUnits(2).setOutputSize(1).build();
        LstmParameters multi = LstmParameters.fromFloats(twoFeatures,
                new float[(int) LstmParameters.parameterCount(twoFeatures)], Precision.FLOAT32);
        for (LstmForwardPass pass : PASSES) {
            assertThrows(IllegalArgumentException.class, () -> pass.step(p, LstmState.zero(1, 3), 0f));
            assertThrows(IllegalArgumentException.class, () -> pass.step(p, LstmState.zero(2, 2), 0f));
            assertThrows(IllegalArgumentException.class, () -> pass.step(p, LstmState.zero(1, 2), 0f, new float[1]));
            assertThrows(IllegalArgumentException.class, () -> pass.step(multi, LstmState.zero(1, 2), 0f));
            assertThrows(IllegalArgumentException.class, () -> pass.step(multi, LstmState.zero(1, 2), 0f, new float[2]));
            assertEquals(0f, pass.step(multi, LstmState.zero(1, 2), 0f, new float[1]), "zero weights forecast 0");
        }
    }

    /**
     * Input feature r multiplies row r + 1 of layer 0's W: fed constant inputs v, a network forecasts
     * what the network of the value alone forecasts when its bias is b + sum of v_r times row r + 1.
     * Inputs wired to the wrong rows, or left out, give other forecasts.
     */
    @Test
    void constantInputFeaturesActAsTheBiasTheirRowsAdd() {
        int features = 24;
        LstmArchitecture multi = LstmArchitecture.newBuilder(TestNetworks.shape(2, 21)).setInputSize(1 + features).build();
        float[] flat = TestNetworks.randomFlat(multi, 17);
        float[] inputs = new float[features];
        for (int r = 0; r < features; r++) {
            inputs[r] = r % 5 == 0 ? 1f : r % 7 == 0 ? -0.5f : 0f;
        }
        float[] valueAlone = foldedIntoBias(multi, flat, inputs);
        float[] xs = TestNetworks.series(200, 3);
        for (LstmForwardPass pass : PASSES) {
            LstmParameters withInputs = LstmParameters.fromFloats(multi, flat, Precision.FLOAT32);
            LstmParameters folded = LstmParameters.fromFloats(TestNetworks.shape(2, 21), valueAlone, Precision.FLOAT32);
            LstmState a = LstmState.zero(multi);
            LstmState b = LstmState.zero(multi);
            LstmState ignored = LstmState.zero(multi);
            double maxDifference = 0;
            double maxIgnoring = 0;
            for (float x : xs) {
                float expected = pass.step(folded, b, x);
                maxDifference = Math.max(maxDifference, Math.abs(pass.step(withInputs, a, x, inputs) - expected));
                maxIgnoring = Math.max(maxIgnoring, Math.abs(pass.step(withInputs, ignored, x, new float[features]) - expected));
            }
            assertTrue(maxDifference < 1e-5, pass + ": max difference " + maxDifference);
            assertTrue(maxIgnoring > 1e-3, pass + ": the inputs change the forecasts (" + maxIgnoring + ")");
        }
    }

    @Test
    void scalarAndVectorAgreeWithTelemanomsInputWidths() {
        for (int inputSize : new int[] {25, 55}) {
            LstmArchitecture a = LstmArchitecture.newBuilder(TestNetworks.shape(2, 80)).setInputSize(inputSize).build();
            float[] flat = TestNetworks.randomFlat(a, inputSize);
            float[] xs = TestNetworks.series(300, 7);
            for (Precision precision : Precision.values()) {
                LstmParameters p = LstmParameters.fromFloats(a, flat, precision);
                LstmState scalarState = LstmState.zero(a);
                LstmState vectorState = LstmState.zero(a);
                double maxError = 0;
                for (int t = 0; t < xs.length; t++) {
                    float[] commands = new float[inputSize - 1];
                    commands[(t / 10) % commands.length] = 1f;
                    float s = LstmForwardPasses.scalar().step(p, scalarState, xs[t], commands);
                    float v = LstmForwardPasses.vector().step(p, vectorState, xs[t], commands);
                    maxError = Math.max(maxError, Math.abs(s - v));
                }
                assertTrue(maxError <= 1e-6, a + " " + precision + ": max |scalar - vector| = " + maxError);
            }
        }
    }

    /** DL4J's flat layout of {@code multi} with layer 0's input rows 1.. folded into its bias at {@code inputs}. */
    private static float[] foldedIntoBias(LstmArchitecture multi, float[] flat, float[] inputs) {
        int nIn = multi.getInputSize();
        int g = 4 * multi.getUnits();
        int h = multi.getUnits();
        float[] out = new float[flat.length - (nIn - 1) * g];
        for (int col = 0; col < g; col++) {
            out[col] = flat[col * nIn]; // W [nIn, G] column-major: row 0 of column col
        }
        System.arraycopy(flat, nIn * g, out, g, h * g); // RW
        for (int col = 0; col < g; col++) {
            float bias = flat[nIn * g + h * g + col];
            for (int r = 1; r < nIn; r++) {
                bias += inputs[r - 1] * flat[r + col * nIn];
            }
            out[g + h * g + col] = bias;
        }
        int rest = nIn * g + h * g + g;
        System.arraycopy(flat, rest, out, g + h * g + g, flat.length - rest);
        return out;
    }

    @Test
    void bestIsTheVectorPassWhenTheModuleIsPresent() {
        assertTrue(LstmForwardPasses.vectorAvailable(), "surefire runs topology tests with the vector module");
        assertEquals("VectorForwardPass", LstmForwardPasses.best().getClass().getSimpleName());
    }
}
