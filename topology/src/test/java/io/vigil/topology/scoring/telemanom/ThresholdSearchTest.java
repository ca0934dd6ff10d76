package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed windows. Every expected mean, deviation, z and flagged range below is worked out in
 * the comments from the definitions, not read back from the implementation.
 */
class ThresholdSearchTest {

    /** h = 40 (4 batches of 10), error buffer 2, no start-up transient. */
    private static final ThresholdSettings SMALL = new ThresholdSettings(10, 4, 0.05, 2, 0.13, 0);
    private final ThresholdSearch search = new ThresholdSearch(SMALL);

    @Test
    void candidateScoreFollowsTheFormula() {
        // v = [0 x 8, 1, 10]: mu = 1.1, sigma^2 = (8 * 1.21 + 0.01 + 79.21) / 10 = 8.89.
        // z = 2.5: epsilon = 1.1 + 2.5 * 2.9816 = 8.55, so only the 10 is removed.
        // Remaining [0 x 8, 1]: mean 1/9, variance 1/9 - 1/81 = 8/81, sd = sqrt(8) / 9.
        // Buffer 2 widens index 9 to [7, 9]: |e_a| = 3, |E_seq| = 1.
        double[] v = {0, 0, 0, 0, 0, 0, 0, 0, 1, 10};
        double sigma = Math.sqrt(8.89);
        ThresholdSearch.Candidate c = ThresholdSearch.candidate(v, 0, v.length, 1.1, sigma, 2.5, 2);
        double expected = ((1.1 - 1.0 / 9) / 1.1 + (sigma - Math.sqrt(8) / 9) / sigma) / (1 * 1 + 3);
        assertEquals(expected, c.score(), 1e-12);
        assertEquals(1, c.sequences());
        assertEquals(3, c.widened());
        assertTrue(c.admissible());
    }

    @Test
    void equalScoresGoToTheLargerZ() {
        // v = [0 x 9, 10]: mu = 1, sigma = 3. z = 2.5 (epsilon 8.5) and z = 3 (epsilon 10, and 10 >= 10)
        // both remove just the 10: score (1 + 1) / (1 + 2) = 2/3 each. z = 3.5 flags nothing.
        double[] v = {0, 0, 0, 0, 0, 0, 0, 0, 0, 10};
        assertEquals(2.0 / 3, ThresholdSearch.candidate(v, 0, 10, 1, 3, 2.5, 1).score(), 1e-15);
        assertEquals(2.0 / 3, ThresholdSearch.candidate(v, 0, 10, 1, 3, 3.0, 1).score(), 1e-15);
        assertFalse(ThresholdSearch.candidate(v, 0, 10, 1, 3, 3.5, 1).admissible());
        assertEquals(3.0, ThresholdSearch.chooseZ(v, 0, 10, 1, 3, 1));
    }

    @Test
    void flagsCoveringHalfTheWindowRejectTheCandidate() {
        // v = [0 x 7, 8]: mu = 1, sigma = sqrt(7) = 2.65. Only z = 2.5 flags the 8 (z-score 2.65).
        // Buffer 2: [5, 7], 3 < 8/2, accepted. Buffer 3: [4, 7], 4 is not < 4, so no candidate: z = 12.
        double[] v = {0, 0, 0, 0, 0, 0, 0, 8};
        assertEquals(2.5, ThresholdSearch.chooseZ(v, 0, 8, 1, Math.sqrt(7), 2));
        assertEquals(12.0, ThresholdSearch.chooseZ(v, 0, 8, 1, Math.sqrt(7), 3));
    }

    @Test
    void moreThanFiveSequencesRejectTheCandidate() {
        // Six spikes of 10 in 100 zeros: mu = 0.6, sigma^2 = (94 * 0.36 + 6 * 88.36) / 100 = 5.64; the
        // spikes' z-score is 3.96, so z <= 3.5 flags six separate groups (buffer 1) and z >= 4 none: z = 12.
        double[] six = spikes(100, 10, 10, 25, 40, 55, 70, 85);
        assertEquals(12.0, ThresholdSearch.chooseZ(six, 0, 100, 0.6, Math.sqrt(5.64), 1));
        // Five spikes: mu = 0.5, sigma^2 = 4.75, z-score 4.36. z = 2.5 .. 4.0 all flag the same five
        // groups, so they tie and the largest wins.
        double[] five = spikes(100, 10, 10, 25, 40, 55, 70);
        assertEquals(4.0, ThresholdSearch.chooseZ(five, 0, 100, 0.5, Math.sqrt(4.75), 1));
    }

    @Test
    void aSpikeIsWidenedByTheBufferAndCutToTheFlaggableRange() {
        // 39 errors of 1 and a 20 at index 31; values constant (no scale floor).
        // mu = 59/40 = 1.475, sigma^2 = (39 * 0.475^2 + 18.525^2) / 40. The spike's z-score is 6.25, so
        // z = 2.5 .. 6.0 all flag only it and tie: z = 6. Inverted errors (2 mu - e) never reach
        // mu + 2.5 sigma: z_inv = 12.
        double[] e = constant(40, 1.0);
        e[31] = 20;
        double[] y = constant(40, 0.0);
        double mu = 59.0 / 40;
        double sigma = Math.sqrt((39 * 0.475 * 0.475 + 18.525 * 18.525) / 40);

        WindowVerdict whole = search.evaluate(e, y, 0, 40, 0, i -> false);
        assertEquals(mu, whole.mean(), 1e-12);
        assertEquals(sigma, whole.sd(), 1e-12);
        assertEquals(6.0, whole.z());
        assertEquals(12.0, whole.zInverse());
        assertArrayEquals(range(29, 33), whole.flagged());

        WindowVerdict newestBatch = search.evaluate(e, y, 0, 40, 30, i -> false);
        assertArrayEquals(range(30, 33), newestBatch.flagged());
        // Severity: max(|e - epsilon|, |(2 mu - e) - epsilon_inv|) / (mu + sigma); for the spike the
        // inverted distance (mu - 20 - 12 sigma) is the larger one.
        double spike = Math.max(Math.abs(20 - (mu + 6 * sigma)), Math.abs((2 * mu - 20) - (mu + 12 * sigma)))
                / (mu + sigma);
        assertEquals(spike, newestBatch.severity()[1], 1e-12);
    }

    @Test
    void theSameWindowInsideALongerSeriesGivesTheSameVerdict() {
        double[] e = constant(40, 1.0);
        e[31] = 20;
        double[] shifted = new double[100];
        Arrays.fill(shifted, 7.0);
        System.arraycopy(e, 0, shifted, 30, 40);
        double[] y = constant(100, 0.0);
        WindowVerdict alone = search.evaluate(e, y, 0, 40, 30, i -> false);
        WindowVerdict inside = search.evaluate(shifted, y, 30, 40, 30, i -> false);
        assertArrayEquals(alone.flagged(), inside.flagged());
        assertArrayEquals(alone.severity(), inside.severity(), 0.0);
    }

    @Test
    void invertedErrorsCatchAnUnusualDrop() {
        // 35 errors of 1 and five of 0 at 20..24: mu = 0.875, sigma^2 = (35 * 0.125^2 + 5 * 0.875^2) / 40
        // = 0.109375. Normal errors reach z-score 0.38 only: z = 12. Inverted errors are 0.75 and, at the
        // drop, 1.75 = mu + 2.65 sigma: only z_inv = 2.5 flags them; buffer 2 gives [18, 26].
        double[] e = constant(40, 1.0);
        Arrays.fill(e, 20, 25, 0.0);
        WindowVerdict v = search.evaluate(e, constant(40, 0.0), 0, 40, 0, i -> false);
        assertEquals(12.0, v.z());
        assertEquals(2.5, v.zInverse());
        assertArrayEquals(range(18, 26), v.flagged());
        assertEquals(0.875 - 2.5 * Math.sqrt(0.109375), v.lowerThreshold(), 1e-12);
    }

    @Test
    void errorsTooSmallInAbsoluteTermsAreIgnored() {
        // The spike window scaled down: max(e_s) = 0.04 <= 0.05.
        double[] e = constant(40, 0.002);
        e[31] = 0.04;
        WindowVerdict v = search.evaluate(e, constant(40, 0.0), 0, 40, 0, i -> false);
        assertFalse(v.significant());
        assertEquals(0, v.flagged().length);
    }

    @Test
    void errorsSmallNextToTheValuesAreIgnored() {
        // Values alternate +-1000: sd(y) = 1000 and p95 - p5 = 2000, so sigma (2.97) <= 50 and
        // max(e_s) = 20 <= 100: the window is skipped.
        double[] e = constant(40, 1.0);
        e[31] = 20;
        double[] y = IntStream.range(0, 40).mapToDouble(i -> i % 2 == 0 ? 1000 : -1000).toArray();
        WindowVerdict v = search.evaluate(e, y, 0, 40, 0, i -> false);
        assertFalse(v.significant());
        assertEquals(0, v.flagged().length);
    }

    @Test
    void eitherScaleConditionKeepsTheWindow() {
        // Values: 20 zeros then 20 x 300. sd(y) = 150, so sigma (2.97) <= 7.5 fails, but
        // p95 - p5 = 300 - 0 and max(e_s) = 20 > 15 keeps the window; the spike is above 15 too.
        double[] e = constant(40, 1.0);
        e[31] = 20;
        double[] y = IntStream.range(0, 40).mapToDouble(i -> i < 20 ? 0 : 300).toArray();
        WindowVerdict v = search.evaluate(e, y, 0, 40, 0, i -> false);
        assertTrue(v.significant());
        assertArrayEquals(range(29, 33), v.flagged());
    }

    @Test
    void aValueAboveEpsilonButBelowFivePercentOfTheValueRangeIsNotFlagged() {
        // Same values (floor 0.05 * 300 = 15). Spikes 20 at 8 and 12 at 30: mu = 1.75,
        // sigma^2 = 459.5 / 40, z-scores 5.39 and 3.02. Whatever z wins flags the 20; the 12 is below
        // the floor and stays nominal even if it is above epsilon. Pruning: 20 against the nominal 12
        // is a 40% drop, so the 20 survives.
        double[] e = constant(40, 1.0);
        e[8] = 20;
        e[30] = 12;
        double[] y = IntStream.range(0, 40).mapToDouble(i -> i < 20 ? 0 : 300).toArray();
        WindowVerdict v = search.evaluate(e, y, 0, 40, 0, i -> false);
        assertTrue(v.significant());
        assertArrayEquals(range(6, 10), v.flagged());
    }

    @Test
    void whatEarlierWindowsFlaggedDoesNotCountAsNominalWhenPruning() {
        // Spikes 20 at 5 and 19 at 35; only the newest batch (30..39) may be flagged. mu = 1.925,
        // sigma = 4.03, z-scores 4.48 and 4.23, so the chosen z (<= 4) flags both.
        double[] e = constant(40, 1.0);
        e[5] = 20;
        e[35] = 19;
        double[] y = constant(40, 0.0);
        // If the 20 counts as nominal, the 19 is no outlier next to it (drop -5%): pruned.
        assertArrayEquals(new int[0], search.evaluate(e, y, 0, 40, 30, i -> false).flagged());
        // An earlier window flagged 3..7: the largest nominal error is 1, and the 19 stands.
        assertArrayEquals(range(33, 37), search.evaluate(e, y, 0, 40, 30, i -> i >= 3 && i <= 7).flagged());
    }

    @Test
    void constantErrorsFlagNothing() {
        WindowVerdict v = search.evaluate(constant(40, 1.0), constant(40, 0.0), 0, 40, 0, i -> false);
        assertFalse(v.significant());
        assertEquals(12.0, v.z());
    }

    @Test
    void percentilesInterpolateBetweenClosestRanks() {
        // 1..20: p95 at rank 19 * 0.95 = 18.05 -> 19.05; p5 at rank 0.95 -> 1.95.
        double[] v = IntStream.rangeClosed(1, 20).asDoubleStream().toArray();
        assertEquals(19.05, ThresholdSearch.percentile(v, 95), 1e-12);
        assertEquals(1.95, ThresholdSearch.percentile(v, 5), 1e-12);
        double[] shuffled = {99, 5, 3, 1, 20, 4, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, -99};
        assertEquals(17.1, ThresholdSearch.interPercentileRange(shuffled, 1, 20), 1e-12);
    }

    private static double[] constant(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    private static double[] spikes(int n, double height, int... at) {
        double[] v = new double[n];
        for (int i : at) {
            v[i] = height;
        }
        return v;
    }

    private static int[] range(int first, int last) {
        return IntStream.rangeClosed(first, last).toArray();
    }
}
