package io.vigil.topology.scoring.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DriftWindowTest {

    private static final int K = 100;

    @Test
    void aWindowDrawnFromTheTrainingDistributionIsCloseToIt() {
        DriftReference q = DriftReference.of(gaussian(new Random(1), 100_000, 0, 0.3));
        DriftWindow d = new DriftWindow(q.intervals());
        Random random = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            d.add((float) (0.3 * random.nextGaussian()), q, DriftWindow.decayFor(2_000));
        }
        assertTrue(d.distance(q) < 0.02, "same distribution: " + d.distance(q));
    }

    @Test
    void aShiftedWindowIsAsFarAsTheShift() {
        DriftReference q = DriftReference.of(gaussian(new Random(1), 100_000, 0, 0.3));
        DriftWindow d = new DriftWindow(q.intervals());
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            d.add((float) (0.2 + 0.3 * random.nextGaussian()), q, DriftWindow.decayFor(2_000));
        }
        assertEquals(0.2, d.distance(q), 0.02, "W1 of a distribution and its shift by 0.2 is 0.2");
    }

    /** Binary or quantized channels: their sketches are runs of tied quantiles. */
    @Test
    void aChannelOnTwoLevelsIsNearItsTrainingValuesAndAsFarAsTheExactDistanceWhenItMoves() {
        Random random = new Random(6);
        float[] training = new float[10_000];
        for (int i = 0; i < training.length; i++) {
            training[i] = random.nextBoolean() ? 1f : -1f;
        }
        DriftReference q = DriftReference.of(training);
        double decay = DriftWindow.decayFor(2_000);
        DriftWindow same = new DriftWindow(q.intervals());
        DriftWindow stuck = new DriftWindow(q.intervals());
        for (int i = 0; i < 20_000; i++) {
            same.add(random.nextBoolean() ? 1f : -1f, q, decay);
            stuck.add(1f, q, decay);
        }
        assertTrue(same.distance(q) < 0.05, "the same two levels: " + same.distance(q));
        // W1 of half -1 and half +1 against all +1: half the mass moves by 2.
        assertEquals(1.0, stuck.distance(q), 0.03);
    }

    @Test
    void valuesBeyondTheTrainingRangeCountTheirWholeDistance() {
        float[] uniform = new float[K + 1];
        for (int i = 0; i <= K; i++) {
            uniform[i] = -1 + 2f * i / K;
        }
        DriftReference q = new DriftReference(uniform);
        DriftWindow d = new DriftWindow(K);
        for (int i = 0; i < 50; i++) {
            d.add(3f, q, DriftWindow.decayFor(100));
        }
        // W1 between a point mass at 3 and U[-1, 1] is E|3 - U| = 3: 1 over [-1, 1], 2 over [1, 3].
        assertEquals(3.0, d.distance(q), 1e-9);
    }

    @Property(tries = 100)
    void theIncrementalDistanceIsTheIntegralOverTheWeightedPoints(@ForAll("seeds") long seed,
            @ForAll @IntRange(min = 1, max = 300) int points, @ForAll @IntRange(min = 2, max = 40) int window) {
        Random random = new Random(seed);
        float[] q = new float[1 + random.nextInt(12)];
        q[0] = (float) random.nextGaussian();
        for (int i = 1; i < q.length; i++) {
            // some quantiles repeat, as they do where a training series sits on one value
            q[i] = q[i - 1] + (random.nextInt(4) == 0 ? 0 : (float) random.nextDouble());
        }
        if (q.length == 1) {
            q = new float[] {q[0], q[0] + 1};
        }
        double decay = DriftWindow.decayFor(window);
        DriftReference reference = new DriftReference(q);
        DriftWindow d = new DriftWindow(reference.intervals());
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            // a quarter of the values exactly on a quantile, tied ones included
            float x = random.nextInt(4) == 0 ? q[random.nextInt(q.length)]
                    : (float) (q[0] + (q[q.length - 1] - q[0] + 1) * (random.nextDouble() * 1.6 - 0.3));
            values.add(x);
            d.add(x, reference, decay);
        }
        assertEquals(bruteForce(q, decay, values), d.distance(reference), 2e-3);
    }

    @Test
    void weightsAreScaledBackLongBeforeTheyOverflow() {
        // A window of 2 points doubles the newest weight per point: 2^500 passes the rescaling bound.
        DriftReference q = new DriftReference(new float[] {-1, 0, 1});
        double decay = DriftWindow.decayFor(2);
        DriftWindow d = new DriftWindow(q.intervals());
        List<Float> values = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 1200; i++) {
            float x = (float) (random.nextGaussian() * 1.5);
            values.add(x);
            d.add(x, q, decay);
        }
        assertEquals(2.0, d.weight(), 1e-9, "the window holds about 2 points' weight");
        assertEquals(bruteForce(q.quantiles(), decay, values.subList(values.size() - 200, values.size())), d.distance(q),
                2e-3, "and the distance over them; older points weigh nothing at this decay");
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    @Test
    void aWrittenWindowReadBackGoesOnExactlyAsTheOriginal() {
        DriftReference q = DriftReference.of(gaussian(new Random(1), 10_000, 0, 1));
        double decay = DriftWindow.decayFor(50);
        DriftWindow a = new DriftWindow(q.intervals());
        Random random = new Random(4);
        for (int i = 0; i < 500; i++) {
            a.add((float) random.nextGaussian(), q, decay);
        }
        ByteBuffer buffer = ByteBuffer.allocate(a.size());
        a.write(buffer);
        assertEquals(a.size(), buffer.position());
        DriftWindow b = DriftWindow.read(buffer.flip(), q.intervals());
        assertEquals(a.distance(q), b.distance(q));
        for (int i = 0; i < 100; i++) {
            float x = (float) (1 + random.nextGaussian());
            assertEquals(a.add(x, q, decay), b.add(x, q, decay));
        }
    }

    @Test
    void theSketchIsTheNearestRankQuantileAtEachPercent() {
        float[] values = new float[201];
        for (int i = 0; i < values.length; i++) {
            values[(i * 37) % values.length] = i / 2f; // shuffled: 0, 0.5, ..., 100
        }
        float[] q = DriftReference.of(values).quantiles();
        assertEquals(DriftReference.QUANTILES, q.length);
        for (int i = 0; i < q.length; i++) {
            assertEquals(i, q[i], 1e-6, "the " + i + " % quantile");
        }
    }

    @Test
    void aSketchThatIsNotOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DriftReference(new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new DriftReference(new float[] {1, 0.5f}));
        assertThrows(IllegalArgumentException.class, () -> new DriftReference(new float[] {0, Float.NaN}));
        assertEquals(2, new DriftReference(new float[] {0, 0, 1}).intervals());
        DriftWindow other = new DriftWindow(5);
        assertThrows(IllegalArgumentException.class, () -> other.add(0, new DriftReference(new float[] {0, 1}), 0.5),
                "a window kept for another sketch is not silently misread");
    }

    /**
     * The same model of the window computed directly: each point, weighted decay^age, spread evenly over
     * its interval (or a point mass outside the sketch), against the reference's piecewise-linear CDF,
     * integrated numerically.
     */
    private static double bruteForce(float[] q, double decay, List<Float> values) {
        int k = q.length - 1;
        double lo = Math.min(q[0], values.stream().mapToDouble(Float::doubleValue).min().orElseThrow()) - 1;
        double hi = Math.max(q[k], values.stream().mapToDouble(Float::doubleValue).max().orElseThrow()) + 1;
        double[] weight = new double[values.size()];
        double total = 0;
        for (int i = 0; i < values.size(); i++) {
            weight[i] = Math.pow(decay, values.size() - 1 - i);
            total += weight[i];
        }
        int steps = 50_000;
        double dx = (hi - lo) / steps;
        double sum = 0;
        for (int s = 0; s < steps; s++) {
            double x = lo + (s + 0.5) * dx;
            double window = 0;
            for (int i = 0; i < values.size(); i++) {
                window += weight[i] * spreadCdf(q, values.get(i), x);
            }
            sum += Math.abs(window / total - referenceCdf(q, x)) * dx;
        }
        return sum;
    }

    /**
     * CDF at x of point v spread evenly over its interval of the sketch: the first interval whose end is
     * above v (the last one for v = q_K); a point mass at v outside the sketch or on tied quantiles.
     */
    private static double spreadCdf(float[] q, float v, double x) {
        int k = q.length - 1;
        if (v < q[0] || v > q[k]) {
            return x >= v ? 1 : 0;
        }
        for (int j = 1; j < q.length; j++) {
            if (q[j - 1] == v && q[j] == v) {
                return x >= v ? 1 : 0;
            }
        }
        int i = 0;
        while (i < k - 1 && q[i + 1] <= v) {
            i++;
        }
        if (x <= q[i]) {
            return 0;
        }
        if (x >= q[i + 1]) {
            return 1;
        }
        return (x - q[i]) / (q[i + 1] - q[i]);
    }

    private static double referenceCdf(float[] q, double x) {
        int k = q.length - 1;
        if (x <= q[0]) {
            return 0;
        }
        if (x >= q[k]) {
            return 1;
        }
        int i = 0;
        while (q[i + 1] <= x) {
            i++;
        }
        return (i + (x - q[i]) / (q[i + 1] - q[i])) / k;
    }

    private static float[] gaussian(Random random, int n, double mean, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + sd * random.nextGaussian());
        }
        return v;
    }
}
