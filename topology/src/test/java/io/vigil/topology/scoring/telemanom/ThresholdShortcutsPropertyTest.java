package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The window decision's two shortcuts give exactly what the plain definitions give: the z search
 * that stops at the first epsilon above every value chooses the z of a search over all 19 candidates,
 * and percentiles found by selection are bit for bit those read from a sorted copy, but for the sign
 * of a zero, which no comparison of the search can tell apart. The
 * windows are drawn to include what breaks selections and early exits: runs of equal values, sorted
 * and reversed runs, zeros of both signs, a lone spike, constant windows.
 */
class ThresholdShortcutsPropertyTest {

    /** Filler around a window inside a longer array: above every epsilon, so it would be flagged if read. */
    private static final double OUTSIDE = 1e9;

    @Provide
    Arbitrary<double[]> windows() {
        Arbitrary<Double> plain = Arbitraries.doubles().between(0, 10);
        Arbitrary<Double> spiky = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.doubles().between(0, 1)),
                Tuple.of(1, Arbitraries.doubles().between(5, 100)),
                Tuple.of(2, Arbitraries.of(0.0, -0.0, 1.0)));
        Arbitrary<double[]> random = Arbitraries.oneOf(plain, spiky).list().ofMinSize(1).ofMaxSize(400)
                .map(ThresholdShortcutsPropertyTest::toArray);
        Arbitrary<double[]> ordered = random.map(v -> {
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            return sorted;
        });
        Arbitrary<double[]> reversed = ordered.map(v -> {
            double[] r = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = v[v.length - 1 - i];
            }
            return r;
        });
        Arbitrary<double[]> constant = Arbitraries.integers().between(1, 300)
                .map(n -> {
                    double[] c = new double[n];
                    Arrays.fill(c, 0.25);
                    return c;
                });
        return Arbitraries.oneOf(random, ordered, reversed, constant);
    }

    @Property(tries = 400)
    void theZSearchThatStopsEarlyChoosesWhatTheFullSearchChooses(@ForAll("windows") double[] v,
                                                                  @ForAll @IntRange(min = 0, max = 5) int buffer) {
        double mu = ThresholdSearch.mean(v, 0, v.length);
        double sigma = ThresholdSearch.sd(v, 0, v.length, mu);
        assertEquals(fullSearch(v, 0, v.length, mu, sigma, buffer), ThresholdSearch.chooseZ(v, 0, v.length, mu, sigma, buffer));
    }

    /**
     * The search takes its mean and deviation from outside (the inverted errors' search passes their
     * own) and a window inside a longer array: the early exit must hold for any of them, and read
     * nothing outside {@code [from, from + length)}, here values that would be flagged if it did.
     */
    @Property(tries = 400)
    void theEarlyStopHoldsForAnyMeanAndDeviationAndAWindowInsideALongerArray(
            @ForAll("windows") double[] v,
            @ForAll @IntRange(min = 0, max = 30) int from,
            @ForAll @IntRange(min = 0, max = 30) int after,
            @ForAll("means") double mu,
            @ForAll("deviations") double sigma,
            @ForAll @IntRange(min = 0, max = 5) int buffer) {
        double[] embedded = new double[from + v.length + after];
        Arrays.fill(embedded, OUTSIDE);
        System.arraycopy(v, 0, embedded, from, v.length);
        assertEquals(fullSearch(v, 0, v.length, mu, sigma, buffer),
                ThresholdSearch.chooseZ(embedded, from, v.length, mu, sigma, buffer));
    }

    /** An epsilon exactly at the window's largest value flags it, so the search must not stop there. */
    @Example
    void aZWhoseEpsilonEqualsTheLargestValueIsStillTried() {
        double mu = 1.0;
        double sigma = 0.5;
        double atFirstZ = mu + ThresholdSearch.Z_FIRST * sigma;
        double[] v = new double[60];
        Arrays.fill(v, 0.5);
        v[30] = atFirstZ;
        ThresholdSearch.Candidate first = ThresholdSearch.candidate(v, 0, v.length, mu, sigma, ThresholdSearch.Z_FIRST, 0);
        assertEquals(1, first.sequences(), "the value at epsilon is flagged");
        assertEquals(fullSearch(v, 0, v.length, mu, sigma, 0), ThresholdSearch.chooseZ(v, 0, v.length, mu, sigma, 0));
        assertEquals(ThresholdSearch.Z_FIRST, ThresholdSearch.chooseZ(v, 0, v.length, mu, sigma, 0));
    }

    @Property(tries = 400)
    void percentilesBySelectionEqualPercentilesOfTheSortedWindow(@ForAll("windows") double[] v,
                                                                  @ForAll("quantiles") double q) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double rank = (sorted.length - 1) * q / 100.0;
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double expected = sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
        double[] scratch = v.clone();
        assertEquals(Double.doubleToLongBits(expected + 0.0), Double.doubleToLongBits(ThresholdSearch.percentile(scratch, q) + 0.0));
    }

    @Property(tries = 400)
    void selectionLeavesTheKthValueWithNothingLargerBeforeItAndNothingSmallerAfter(@ForAll("windows") double[] v,
                                                                                   @ForAll @IntRange(min = 0, max = 399) int k) {
        int rank = k % v.length;
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double[] scratch = v.clone();
        double selected = ThresholdSearch.select(scratch, rank);
        assertEquals(sorted[rank], selected, 0.0);
        for (int i = 0; i < scratch.length; i++) {
            if (i < rank && scratch[i] > selected || i > rank && scratch[i] < selected) {
                throw new AssertionError("index " + i + " holds " + scratch[i] + " against rank " + rank + "'s " + selected);
            }
        }
        double[] resorted = scratch.clone();
        Arrays.sort(resorted);
        assertEquals(List.of(box(sorted)), List.of(box(resorted)), "selection only reorders");
    }

    @Provide
    Arbitrary<Double> means() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0.001, 20).ofScale(4), Arbitraries.of(0.0, -1.0));
    }

    @Provide
    Arbitrary<Double> deviations() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0.001, 10).ofScale(4), Arbitraries.of(0.0));
    }

    @Provide
    Arbitrary<Double> quantiles() {
        return Arbitraries.of(5.0, 95.0, 0.0, 100.0, 50.0, 25.0, 99.9);
    }

    /** Every candidate z, the best admissible one winning and a tie going to the larger z: the definition. */
    private static double fullSearch(double[] v, int from, int length, double mu, double sigma, int buffer) {
        if (!(sigma > 0) || !(mu > 0)) {
            return ThresholdSearch.Z_FALLBACK;
        }
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestZ = ThresholdSearch.Z_FALLBACK;
        for (int k = 0; k < ThresholdSearch.Z_CANDIDATES; k++) {
            ThresholdSearch.Candidate c = ThresholdSearch.candidate(v, from, length, mu, sigma,
                    ThresholdSearch.Z_FIRST + k * ThresholdSearch.Z_STEP, buffer);
            if (c.admissible() && c.score() >= bestScore) {
                bestScore = c.score();
                bestZ = c.z();
            }
        }
        return bestZ;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Double[] box(double[] v) {
        return Arrays.stream(v).boxed().toArray(Double[]::new);
    }
}
