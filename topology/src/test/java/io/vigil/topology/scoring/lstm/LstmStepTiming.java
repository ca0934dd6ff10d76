package io.vigil.topology.scoring.lstm;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import java.util.Arrays;

/**
 * A rough per-step timing of the forward passes, for design notes, not a test (timings on a shared
 * 2-core machine are too noisy to assert). Run from {@code topology/} after {@code mvn test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx2g \
 *   -cp target/test-classes:target/classes:$(cat target/runtime-classpath.txt) \
 *   io.vigil.topology.scoring.lstm.LstmStepTiming [channels]
 * </pre>
 * ({@code runtime-classpath.txt}: {@code mvn -o -q -pl topology dependency:build-classpath
 * -Dmdep.outputFile=target/runtime-classpath.txt}).
 * "hot" steps one channel, whose weights stay in cache; "interleaved" steps many channels of distinct
 * weights in turn, so every step streams its weights from memory, as a scorer with many channels does.
 */
public final class LstmStepTiming {

    public static void main(String[] args) {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        LstmArchitecture a = TestNetworks.shape(2, 80);
        float[] xs = TestNetworks.series(4_096, 1);
        for (Precision precision : Precision.values()) {
            LstmParameters[] fleet = new LstmParameters[channels];
            for (int c = 0; c < channels; c++) {
                fleet[c] = LstmParameters.fromFloats(a, TestNetworks.randomFlat(a, c), precision);
            }
            for (String name : new String[] {"scalar", "vector"}) {
                LstmForwardPass pass = name.equals("scalar") ? LstmForwardPasses.scalar() : LstmForwardPasses.vector();
                hot(name + " " + precision, pass, fleet[0], a, xs);
                interleaved(name + " " + precision, pass, fleet, a, xs);
            }
            fleet = null;
            System.gc();
        }
    }

    private static void hot(String name, LstmForwardPass pass, LstmParameters p, LstmArchitecture a, float[] xs) {
        LstmState state = LstmState.zero(a);
        float sink = 0;
        for (int t = 0; t < 30_000; t++) {
            sink += pass.step(p, state, xs[t & 4095]);
        }
        int steps = 50_000;
        long[] nanos = new long[steps];
        for (int t = 0; t < steps; t++) {
            long start = System.nanoTime();
            sink += pass.step(p, state, xs[t & 4095]);
            nanos[t] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-16s hot          median %6.2f us  p99 %6.2f us  (%s)%n", name,
                nanos[steps / 2] / 1e3, nanos[steps * 99 / 100] / 1e3, sink == 42 ? "" : "ok");
    }

    private static void interleaved(String name, LstmForwardPass pass, LstmParameters[] fleet, LstmArchitecture a, float[] xs) {
        int channels = fleet.length;
        LstmState[] states = new LstmState[channels];
        for (int c = 0; c < channels; c++) {
            states[c] = LstmState.zero(a);
        }
        float sink = 0;
        int rounds = Math.max(3, 20_000 / channels);
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < channels; c++) {
                sink += pass.step(fleet[c], states[c], xs[r & 4095]);
            }
        }
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < channels; c++) {
                sink += pass.step(fleet[c], states[c], xs[(r + rounds) & 4095]);
            }
        }
        double perStep = (System.nanoTime() - start) / 1e3 / ((double) rounds * channels);
        System.out.printf("%-16s interleaved  mean   %6.2f us  over %d channels, %.0f MB of weights (%s)%n", name,
                perStep, channels, channels * fleet[0].weightBytes() / 1e6, sink == 42 ? "" : "ok");
    }
}
