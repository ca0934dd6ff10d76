package io.vigil.topology.scoring.telemanom;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Telemanom's non-parametric dynamic threshold for one window of smoothed errors e_s and the values
 * y they were made on: which indices of the window are anomalous, and how severe each one is.
 *
 * <ol>
 *   <li>Threshold search, separately on e_s and on the inverted errors 2 mu - e_s (which catch errors
 *       falling unusually low). For z = 2.5, 3.0, ..., 11.5 and epsilon = mu + z sigma, with mu and
 *       sigma those of e_s in both cases: e_a = indices with a value >= epsilon widened by
 *       +-errorBuffer (clipped to the window), E_seq = contiguous groups of e_a, and
 *       score = (dmu/mu + dsigma/sigma) / (|E_seq|^2 + |e_a|), where dmu and dsigma are the drops in
 *       mean and population standard deviation when the values >= epsilon are removed. A candidate
 *       counts only if something is flagged, |E_seq| <= 5 and |e_a| < half the window. The highest
 *       score wins, a tie going to the larger z; with no candidate z = 12.</li>
 *   <li>Significance: the whole window is skipped (nothing flagged) when sigma <= 0.05 sd(y) and
 *       max(e_s) <= 0.05 (p95 - p5 of y), or when max(e_s) <= 0.05; also when sigma is 0, as a window
 *       of constant errors has no outliers.</li>
 *   <li>Flagging: a value is flagged when it is >= its epsilon and > 0.05 (p95 - p5 of y). Flagged
 *       indices are widened by +-errorBuffer and then restricted to {@code firstFlaggable} and later
 *       (the caller's rule: the newest batch, or the end of the start-up transient).</li>
 *   <li>Pruning ({@link Pruning}) over the contiguous groups of what remains, against the largest
 *       value in the window that is neither in those groups nor flagged by an earlier window.</li>
 *   <li>The survivors of both passes are united; each index's severity is
 *       max(|e_s - epsilon|, |e_inv - epsilon_inv|) / (mu + sigma).</li>
 * </ol>
 *
 * <p>Where the reference code is inconsistent, Vigil picks one rule: both the search and the flagging
 * widen by exactly errorBuffer (the reference searches with errorBuffer - 1); groups of one index
 * take part in pruning like any other group (the reference keeps them only when no longer group
 * exists); "range(y)" in the significance rule is the same p95 - p5 as in the flagging rule.
 * Percentiles interpolate linearly between closest ranks, numpy's default.
 *
 * <p>Stateless and thread-safe; allocates per call (once per batch, not per record).
 */
public final class ThresholdSearch {

    static final double Z_FIRST = 2.5;
    static final double Z_STEP = 0.5;
    static final int Z_CANDIDATES = 19;
    static final double Z_FALLBACK = 12.0;
    static final int MAX_SEQUENCES = 5;
    /** Errors below 5% of the values' spread are too small to matter, in any window. */
    static final double RELATIVE_FLOOR = 0.05;
    /** The reference works on values scaled to [-1, 1], where 0.05 is a small error in absolute terms. */
    static final double ABSOLUTE_FLOOR = 0.05;

    private final ThresholdSettings settings;

    public ThresholdSearch(ThresholdSettings settings) {
        this.settings = settings;
    }

    /**
     * Decides the window {@code errors[from, from + length)} with values {@code values[from, ...)}.
     *
     * @param firstFlaggable the first window index that may be flagged
     * @param earlierFlagged whether a window index was flagged by an earlier window
     */
    public WindowVerdict evaluate(double[] errors, double[] values, int from, int length, int firstFlaggable,
                                  IntPredicate earlierFlagged) {
        double mu = mean(errors, from, length);
        double sigma = sd(errors, from, length, mu);
        double[] inverse = new double[length];
        for (int i = 0; i < length; i++) {
            inverse[i] = mu + (mu - errors[from + i]);
        }
        int buffer = settings.errorBuffer();
        double z = chooseZ(errors, from, length, mu, sigma, buffer);
        double zInverse = chooseZ(inverse, 0, length, mu, sigma, buffer);

        double interRange = interPercentileRange(values, from, length);
        double max = max(errors, from, length);
        boolean significant = sigma > 0
                && (sigma > RELATIVE_FLOOR * sd(values, from, length, mean(values, from, length))
                    || max > RELATIVE_FLOOR * interRange)
                && max > ABSOLUTE_FLOOR;
        if (!significant) {
            return new WindowVerdict(mu, sigma, z, zInverse, false, new int[0], new double[0]);
        }
        double floor = RELATIVE_FLOOR * interRange;
        boolean[] kept = new boolean[length];
        flagAndPrune(errors, from, length, mu + z * sigma, floor, firstFlaggable, earlierFlagged, kept);
        flagAndPrune(inverse, 0, length, mu + zInverse * sigma, floor, firstFlaggable, earlierFlagged, kept);

        int count = 0;
        for (boolean k : kept) {
            count += k ? 1 : 0;
        }
        int[] flagged = new int[count];
        double[] severity = new double[count];
        double epsilon = mu + z * sigma;
        double epsilonInverse = mu + zInverse * sigma;
        for (int i = 0, n = 0; i < length; i++) {
            if (kept[i]) {
                flagged[n] = i;
                severity[n++] = Math.max(Math.abs(errors[from + i] - epsilon), Math.abs(inverse[i] - epsilonInverse))
                        / (mu + sigma);
            }
        }
        return new WindowVerdict(mu, sigma, z, zInverse, true, flagged, severity);
    }

    /** One z of the search: what it flags and its score. */
    record Candidate(double z, double score, int sequences, int widened, boolean admissible) {}

    /** The z of the best admissible candidate, or 12 if none. */
    static double chooseZ(double[] v, int from, int length, double mu, double sigma, int buffer) {
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestZ = Z_FALLBACK;
        if (!(sigma > 0) || !(mu > 0)) {
            return bestZ;
        }
        // A z whose epsilon is above every value flags nothing, so it and every larger z are
        // inadmissible: in a typical window only the first few of the 19 need a pass over it.
        double max = max(v, from, length);
        for (int k = 0; k < Z_CANDIDATES; k++) {
            double z = Z_FIRST + k * Z_STEP;
            if (mu + z * sigma > max) {
                break;
            }
            Candidate c = candidate(v, from, length, mu, sigma, z, buffer);
            if (c.admissible() && c.score() >= bestScore) {
                bestScore = c.score();
                bestZ = c.z();
            }
        }
        return bestZ;
    }

    static Candidate candidate(double[] v, int from, int length, double mu, double sigma, double z, int buffer) {
        double epsilon = mu + z * sigma;
        int kept = 0;
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            if (v[i] < epsilon) {
                kept++;
                sum += v[i];
            }
        }
        double keptMean = kept == 0 ? Double.NaN : sum / kept;
        double squares = 0;
        for (int i = from; i < from + length; i++) {
            if (v[i] < epsilon) {
                double d = v[i] - keptMean;
                squares += d * d;
            }
        }
        double keptSd = Math.sqrt(squares / kept);

        // Widened flags as a sweep of merged intervals: a group ends where the next interval starts
        // after a gap, so widened count and group count come out of one pass with no allocation.
        int widened = 0;
        int groups = 0;
        int groupEnd = -2;
        for (int i = 0; i < length; i++) {
            if (v[from + i] >= epsilon) {
                int lo = Math.max(0, i - buffer);
                int hi = Math.min(length - 1, i + buffer);
                if (lo > groupEnd + 1) {
                    groups++;
                    widened += hi - lo + 1;
                } else if (hi > groupEnd) {
                    widened += hi - groupEnd;
                }
                groupEnd = Math.max(groupEnd, hi);
            }
        }
        double score = ((mu - keptMean) / mu + (sigma - keptSd) / sigma) / ((double) groups * groups + widened);
        boolean admissible = widened > 0 && kept > 0 && groups <= MAX_SEQUENCES && widened < 0.5 * length
                && !Double.isNaN(score);
        return new Candidate(z, score, groups, widened, admissible);
    }

    /** Flags {@code v} against {@code epsilon}, widens, restricts, prunes, and ORs the survivors into {@code kept}. */
    private void flagAndPrune(double[] v, int from, int length, double epsilon, double floor, int firstFlaggable,
                              IntPredicate earlierFlagged, boolean[] kept) {
        int buffer = settings.errorBuffer();
        boolean[] candidate = new boolean[length];
        int markedTo = -1;
        for (int i = 0; i < length; i++) {
            double e = v[from + i];
            if (e >= epsilon && e > floor) {
                int lo = Math.max(Math.max(firstFlaggable, i - buffer), markedTo + 1);
                int hi = Math.min(length - 1, i + buffer);
                for (int j = lo; j <= hi; j++) {
                    candidate[j] = true;
                }
                markedTo = Math.max(markedTo, hi);
            }
        }
        int[] starts = new int[length];
        int[] ends = new int[length];
        int groups = 0;
        double nonFlaggedMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            if (candidate[i]) {
                if (i == 0 || !candidate[i - 1]) {
                    starts[groups++] = i;
                }
                ends[groups - 1] = i;
            } else if (!earlierFlagged.test(i)) {
                nonFlaggedMax = Math.max(nonFlaggedMax, v[from + i]);
            }
        }
        if (groups == 0) {
            return;
        }
        double[] maxima = new double[groups];
        for (int g = 0; g < groups; g++) {
            maxima[g] = max(v, from + starts[g], ends[g] - starts[g] + 1);
        }
        boolean[] survive = Pruning.survivors(maxima, nonFlaggedMax, settings.pruneP());
        for (int g = 0; g < groups; g++) {
            if (survive[g]) {
                Arrays.fill(kept, starts[g], ends[g] + 1, true);
            }
        }
    }

    static double mean(double[] v, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += v[i];
        }
        return sum / length;
    }

    /** Population standard deviation (numpy's default, ddof 0). */
    static double sd(double[] v, int from, int length, double mean) {
        double squares = 0;
        for (int i = from; i < from + length; i++) {
            double d = v[i] - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / length);
    }

    static double max(double[] v, int from, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + length; i++) {
            max = Math.max(max, v[i]);
        }
        return max;
    }

    /** p95 - p5, each interpolated linearly between the closest ranks. */
    static double interPercentileRange(double[] v, int from, int length) {
        double[] scratch = Arrays.copyOfRange(v, from, from + length);
        return percentile(scratch, 95) - percentile(scratch, 5);
    }

    /**
     * The q-th percentile of {@code v}, which it reorders: the two closest ranks are found by selection
     * rather than by sorting the window (docs/performance.md has the cost). Order statistics do not
     * depend on how they are found, so the result is the sorted array's.
     */
    static double percentile(double[] v, double q) {
        double rank = (v.length - 1) * q / 100.0;
        int lo = (int) Math.floor(rank);
        double low = select(v, lo);
        if (lo + 1 >= v.length) {
            return low;
        }
        // After selecting rank lo, everything above it is no smaller, so rank lo + 1 is their minimum.
        double high = min(v, lo + 1, v.length - lo - 1);
        return low + (rank - lo) * (high - low);
    }

    /**
     * Reorders {@code v} so that {@code v[k]} is its k-th smallest value, every value before it no
     * larger and every value after it no smaller, and returns it: Hoare's selection with a
     * median-of-three pivot, sorting what is left if it has not converged within a logarithmic number
     * of rounds (so it stays O(n log n) on any input).
     */
    static double select(double[] v, int k) {
        int lo = 0;
        int hi = v.length - 1;
        int rounds = 2 * (32 - Integer.numberOfLeadingZeros(v.length)) + 8;
        while (lo < hi) {
            if (rounds-- == 0) {
                Arrays.sort(v, lo, hi + 1);
                return v[k];
            }
            int mid = (lo + hi) >>> 1;
            if (v[mid] < v[lo]) {
                swap(v, mid, lo);
            }
            if (v[hi] < v[lo]) {
                swap(v, hi, lo);
            }
            if (v[hi] < v[mid]) {
                swap(v, hi, mid);
            }
            double pivot = v[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (v[i] < pivot) {
                    i++;
                }
                while (v[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(v, i++, j--);
                }
            }
            // Now v[lo..j] <= pivot <= v[i..hi], and whatever lies between equals the pivot.
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return v[k];
            }
        }
        return v[k];
    }

    private static double min(double[] v, int from, int length) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = from; i < from + length; i++) {
            min = Math.min(min, v[i]);
        }
        return min;
    }

    private static void swap(double[] v, int a, int b) {
        double t = v[a];
        v[a] = v[b];
        v[b] = t;
    }
}
