package io.vigil.topology.scoring.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The vector pass forecasts the same bits in an interpreting JVM (the Vector API's plain-Java
 * implementation, as a scorer runs right after a start) as in this one once C2 has compiled it, so
 * a replay or a restarted scorer forecasts what the first run forecast.
 */
class ReproducibleStepTest {

    private static final int STEPS = 60;
    private static final int[] INPUT_SIZES = {1, 25, 55};

    /** Runs in the child JVM: the forecasts' bits, one per line. */
    public static void main(String[] args) {
        for (String bits : forecastBits()) {
            System.out.println(bits);
        }
    }

    private static List<String> forecastBits() {
        LstmForwardPass pass = LstmForwardPasses.vector();
        float[] xs = TestNetworks.series(STEPS, 3);
        List<String> bits = new ArrayList<>();
        // 16 units: 64 gates, whole vectors of 8 or 16 lanes, the accumulate kernel's main loop included;
        // 20 units: 4 of them past the last whole vector, stepped by the scalar code.
        // Input widths 1, 25 and 55: the value alone, and Telemanom's SMAP and MSL command arrays.
        for (int inputSize : INPUT_SIZES) {
            for (int units : new int[] {16, 20}) {
                LstmArchitecture a = LstmArchitecture.newBuilder(TestNetworks.shape(2, units)).setInputSize(inputSize).build();
                for (Precision precision : Precision.values()) {
                    LstmParameters p = LstmParameters.fromFloats(a, TestNetworks.randomFlat(a, 11), precision);
                    LstmState state = LstmState.zero(a);
                    for (int t = 0; t < xs.length; t++) {
                        float[] commands = new float[inputSize - 1];
                        if (commands.length > 0) {
                            commands[(t / 7) % commands.length] = 1f;
                            commands[(t * 3) % commands.length] = 0.5f;
                        }
                        bits.add(inputSize + " " + units + " " + precision + " "
                                + Integer.toHexString(Float.floatToRawIntBits(pass.step(p, state, xs[t], commands))));
                    }
                }
            }
        }
        return bits;
    }

    @Test
    void anInterpretedStepAndACompiledOneGiveTheSameBits() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), ReproducibleStepTest.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), out);
        List<String> interpreted = out.lines().toList();

        // Enough steps for C2 to compile the pass (Java 17's thresholds are ~10k invocations or loops).
        for (int round = 0; round < 1000 / INPUT_SIZES.length; round++) {
            forecastBits();
        }
        assertEquals(INPUT_SIZES.length * 4 * STEPS, interpreted.size(), out);
        List<String> compiled = forecastBits();
        for (int i = 0; i < compiled.size(); i++) {
            assertEquals(interpreted.get(i), compiled.get(i), "forecast " + i % STEPS + " (interpreted vs compiled)");
        }
    }
}
