package io.vigil.topology.bench;

import io.vigil.topology.scoring.drift.DriftReference;
import io.vigil.topology.scoring.drift.DriftWindow;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The drift window's cost per point: {@link DriftWindow#add} with the release's sketch of 101 quantiles,
 * over many channels' windows in turn (each with its own sketch), as the scorer meets them, so every
 * call reads its window and sketch from memory, not from a hot cache line. The target is under 1 us.
 *
 * <pre>
 * mvn -q -pl topology test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main DriftBench"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class DriftBench {

    @Param({"1000", "1"})
    int channels;

    private DriftWindow[] windows;
    private DriftReference[] sketches;
    private float[] values;
    private int next;
    private final double decay = DriftWindow.decayFor(500);

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        windows = new DriftWindow[channels];
        sketches = new DriftReference[channels];
        for (int c = 0; c < channels; c++) {
            float[] training = new float[2000];
            for (int i = 0; i < training.length; i++) {
                training[i] = (float) (Math.sin(i / 30.0 + c) * 0.8 + 0.05 * random.nextGaussian());
            }
            sketches[c] = DriftReference.of(training);
            windows[c] = new DriftWindow(sketches[c].intervals());
        }
        // Values in and beyond the training range, so both the interior and the tails are exercised.
        values = new float[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (Math.sin(i / 25.0) * 0.9 + 0.2 * random.nextGaussian());
        }
    }

    @Benchmark
    public double addPoint() {
        int c = next % channels;
        double d = windows[c].add(values[next & (values.length - 1)], sketches[c], decay);
        next++;
        return d;
    }
}
