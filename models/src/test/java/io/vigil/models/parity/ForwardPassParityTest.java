package io.vigil.models.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.export.ParameterExport;
import io.vigil.models.network.TelemanomNetwork;
import io.vigil.topology.scoring.lstm.LstmForwardPass;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import io.vigil.topology.scoring.lstm.LstmState;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The scorer's forward passes against DL4J itself: the exported bytes are read back element by
 * element against {@code paramTable()}, then a real series is stepped through {@code rnnTimeStep}
 * (batch 1, one value at a time) and through every pass, comparing each forecast and, now and then,
 * every layer's h and c.
 */
class ForwardPassParityTest {

    /** float32 rounding differs between DL4J's kernels and ours; 10k steps stay well inside this. */
    private static final double EXACT = 1e-5;
    /**
     * Binary16 weights carry a relative error up to 2^-11 (5e-4); through the gate sums and the
     * recurrence that measured up to 3e-4 in the forecast over these runs. The bound is ten times
     * that, and still well under Telemanom's typical forecast errors (1e-2 to 1e-1 in these scaled
     * units), so the thresholds see the same errors.
     */
    private static final double HALF = 5e-3;

    @Test
    void defaultNetworkMatchesDl4jOnTenThousandStepsOfNab() {
        MultiLayerNetwork network = perturbed(TelemanomNetwork.create(TelemanomNetwork.defaultArchitecture(), 1e-3, 42), 7);
        Errors errors = compare("2x80", network, NabSeries.machineTemperature(10_000), 1_000);
        assertTrue(errors.scalar <= EXACT, errors.toString());
        assertTrue(errors.vector <= EXACT, errors.toString());
        assertTrue(errors.state <= EXACT, errors.toString());
        assertTrue(errors.halfScalar <= HALF && errors.halfVector <= HALF, errors.toString());
    }

    @Test
    void otherShapesMatchToo() {
        float[] series = NabSeries.machineTemperature(2_000);
        LstmArchitecture wide = LstmArchitecture.newBuilder().setInputSize(1).setLayers(1).setUnits(16).setOutputSize(2).build();
        LstmArchitecture deep = LstmArchitecture.newBuilder().setInputSize(1).setLayers(3).setUnits(21).setOutputSize(1).build();
        for (LstmArchitecture shape : new LstmArchitecture[] {wide, deep}) {
            MultiLayerNetwork network = perturbed(TelemanomNetwork.create(shape, 1e-3, 3), 5);
            Errors errors = compare(shape.getLayers() + "x" + shape.getUnits() + "->" + shape.getOutputSize(),
                    network, series, 500);
            assertTrue(errors.scalar <= EXACT && errors.vector <= EXACT && errors.state <= EXACT, errors.toString());
            assertTrue(errors.halfScalar <= HALF && errors.halfVector <= HALF, errors.toString());
        }
    }

    /**
     * Telemanom's layouts: the value and 24 (SMAP) or 54 (MSL) one-hot command flags, fed as the
     * scorer feeds them, one step at a time beside the value.
     */
    @Test
    void commandInputsOfTelemanomsWidthsMatchToo() {
        float[] series = NabSeries.machineTemperature(3_000);
        for (int inputSize : new int[] {25, 55}) {
            LstmArchitecture shape = LstmArchitecture.newBuilder(TelemanomNetwork.defaultArchitecture())
                    .setInputSize(inputSize).build();
            MultiLayerNetwork network = perturbed(TelemanomNetwork.create(shape, 1e-3, inputSize), 9);
            float[][] commands = new float[series.length][inputSize - 1];
            for (int t = 0; t < series.length; t++) {
                // A command now and then, held for a while, sometimes two at once.
                int k = (t / 37) % (inputSize - 1);
                if ((t / 37) % 3 != 0) {
                    commands[t][k] = 1f;
                }
                if (t % 101 < 20) {
                    commands[t][(k * 7 + 3) % (inputSize - 1)] = 1f;
                }
            }
            Errors errors = compare(inputSize + "->2x80", network, series, commands, 500);
            assertTrue(errors.scalar <= EXACT && errors.vector <= EXACT && errors.state <= EXACT, errors.toString());
            assertTrue(errors.halfScalar <= HALF && errors.halfVector <= HALF, errors.toString());
        }
    }

    /**
     * Xavier initialisation leaves every bias 0 but the forget gate's 1, so a reader that swapped the
     * candidate, output and input bias blocks would still agree with DL4J: noise makes every bias
     * distinct. The weights keep their initialisation: noise there too (std 0.2) made the 2x80
     * network chaotic, so float32 rounding differences grew without bound and the scalar and vector
     * passes, the same arithmetic summed in another order, ended 1.2 and 0.08 away from DL4J.
     */
    private static MultiLayerNetwork perturbed(MultiLayerNetwork network, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (int l = 0; l < network.getnLayers(); l++) {
            String key = l + "_b";
            INDArray bias = network.getParam(key);
            network.setParam(key, bias.add(Nd4j.randn(bias.dataType(), bias.shape()).muli(0.5)));
        }
        return network;
    }

    private record Errors(String shape, double scalar, double vector, double state, double halfScalar, double halfVector) {
        @Override
        public String toString() {
            return String.format("parity %s: max |forecast - DL4J| scalar %.2e, vector %.2e, h/c %.2e;"
                    + " HALF scalar %.2e, HALF vector %.2e", shape, scalar, vector, state, halfScalar, halfVector);
        }
    }

    private static Errors compare(String shape, MultiLayerNetwork network, float[] series, int stateCheckEvery) {
        return compare(shape, network, series, new float[series.length][0], stateCheckEvery);
    }

    /** @param inputs {@code [step][input]}: what is fed beside the value at each step */
    private static Errors compare(String shape, MultiLayerNetwork network, float[] series, float[][] inputs,
                                  int stateCheckEvery) {
        ParameterExport.Export export = ParameterExport.export(network);
        assertEquals(ParameterExport.sha256Hex(export.parameters()), export.checksum());
        LstmArchitecture a = export.architecture();
        LstmParameters exact = LstmParameters.fromBytes(a, export.parameterBuffer(), Precision.FLOAT32);
        LstmParameters half = LstmParameters.fromBytes(a, export.parameterBuffer(), Precision.HALF);
        assertLayoutMatchesParamTable(network, exact);

        LstmForwardPass scalar = LstmForwardPasses.scalar();
        LstmForwardPass vector = LstmForwardPasses.vector();
        LstmState scalarState = LstmState.zero(a);
        LstmState vectorState = LstmState.zero(a);
        LstmState halfScalarState = LstmState.zero(a);
        LstmState halfVectorState = LstmState.zero(a);
        double[] max = new double[5];
        network.rnnClearPreviousState();
        for (int t = 0; t < series.length; t++) {
            float x = series[t];
            float[] in = inputs[t];
            float[] features = new float[1 + in.length];
            features[0] = x;
            System.arraycopy(in, 0, features, 1, in.length);
            float expected = network.rnnTimeStep(Nd4j.create(features, new long[] {1, features.length, 1})).getFloat(0);
            max[0] = Math.max(max[0], Math.abs(scalar.step(exact, scalarState, x, in) - expected));
            max[1] = Math.max(max[1], Math.abs(vector.step(exact, vectorState, x, in) - expected));
            max[3] = Math.max(max[3], Math.abs(scalar.step(half, halfScalarState, x, in) - expected));
            max[4] = Math.max(max[4], Math.abs(vector.step(half, halfVectorState, x, in) - expected));
            if ((t + 1) % stateCheckEvery == 0) {
                max[2] = Math.max(max[2], Math.max(stateError(network, scalarState), stateError(network, vectorState)));
            }
        }
        Errors errors = new Errors(shape, max[0], max[1], max[2], max[3], max[4]);
        System.out.println(errors + " over " + series.length + " steps");
        return errors;
    }

    /** Every value the reader placed, at the place DL4J's own parameter table has it. */
    private static void assertLayoutMatchesParamTable(MultiLayerNetwork network, LstmParameters p) {
        Map<String, INDArray> table = network.paramTable();
        int h = p.units();
        for (int l = 0; l < p.layers(); l++) {
            INDArray w = table.get(l + "_W");
            INDArray rw = table.get(l + "_RW");
            INDArray b = table.get(l + "_b");
            for (int col = 0; col < 4 * h; col++) {
                for (int r = 0; r < w.rows(); r++) {
                    assertEquals(w.getFloat(r, col), p.inputWeight(l, r, col), l + "_W " + r + "," + col);
                }
                for (int r = 0; r < h; r++) {
                    assertEquals(rw.getFloat(r, col), p.recurrentWeight(l, r, col), l + "_RW " + r + "," + col);
                }
                assertEquals(b.getFloat(col), p.bias(l, col), l + "_b " + col);
            }
        }
        INDArray dense = table.get(p.layers() + "_W");
        INDArray denseBias = table.get(p.layers() + "_b");
        for (int o = 0; o < p.outputSize(); o++) {
            for (int r = 0; r < h; r++) {
                assertEquals(dense.getFloat(r, o), p.outputWeight(r, o), "dense W " + r + "," + o);
            }
            assertEquals(denseBias.getFloat(o), p.outputBias(o), "dense b " + o);
        }
    }

    /** Largest difference between DL4J's stored h ({@code prevAct}) and c ({@code prevMem}) and ours. */
    private static double stateError(MultiLayerNetwork network, LstmState state) {
        double max = 0;
        for (int l = 0; l < state.layers(); l++) {
            Map<String, INDArray> previous = network.rnnGetPreviousState(l);
            INDArray h = previous.get("prevAct");
            INDArray c = previous.get("prevMem");
            for (int k = 0; k < state.units(); k++) {
                max = Math.max(max, Math.abs(h.getFloat(k) - state.hidden(l, k)));
                max = Math.max(max, Math.abs(c.getFloat(k) - state.cell(l, k)));
            }
        }
        return max;
    }
}
