package io.vigil.topology.scoring.drift;

import java.nio.ByteBuffer;

/**
 * How far a channel's recent values have moved from the values its model was trained on: the
 * Wasserstein-1 distance between an exponentially weighted window of recent scaled values and the
 * training distribution, given as its quantiles {@code q_0 <= ... <= q_K} (the release's sketch,
 * {@link DriftReference}).
 *
 * <p>The window is held as weights on the reference's own grid: one weight per interval between two
 * quantiles, and below {@code q_0} and above {@code q_K} a weight and a weighted sum of the values
 * there. Each point weighs {@code 1 / decay} times the one before, which is every older point's
 * weight falling by {@code decay}, so the window is a sliding one of about {@code 1 / (1 - decay)}
 * points without keeping the points themselves.
 * {@code W1 = integral |F_window(x) - F_train(x)| dx}: between two quantiles both CDFs are taken as
 * linear (the reference's mass {@code 1/K} and the window's spread evenly over the interval), so each
 * interval's part is the integral of the absolute value of a linear function; the tails are exact
 * ({@code sum of (q_0 - x)} below, {@code sum of (x - q_K)} above). The distance is in scaled units, where
 * the training series spans [-1, 1]: a window shifted by d beyond the training range is d away.
 *
 * <p>Adding a point is a binary search; the distance is one read-only pass over the K intervals: O(K)
 * per point, no allocation. The window keeps neither the reference nor the decay, which belong to the
 * model and the settings.
 */
public final class DriftWindow {

    /**
     * Window weight of each interval [q_i, q_i+1], and below and above the sketch, each point added with
     * weight {@link #newest}, which grows by 1 / decay per point: the distance needs only ratios of
     * weights, so growing the newest is the same as decaying all the older ones, without a pass over them.
     */
    private final double[] weights;
    private double belowWeight;
    private double belowSum;
    private double aboveWeight;
    private double aboveSum;
    private double total;
    /** The weight the last point was added with; the weights are rescaled before it overflows. */
    private double newest = 1;

    /** {@link #newest} past which the weights are scaled back to a newest point of 1. */
    private static final double RESCALE_ABOVE = 1e150;

    /** An empty window for a reference of {@code intervals} intervals. */
    public DriftWindow(int intervals) {
        this.weights = new double[intervals];
    }

    /** The decay for a window of about {@code points} points. */
    public static double decayFor(int points) {
        if (points < 2) {
            throw new IllegalArgumentException("a drift window needs at least 2 points: " + points);
        }
        return 1 - 1.0 / points;
    }

    /**
     * Adds scaled value {@code x} (finite) to the window; returns the distance after it.
     *
     * @param decay weight left to a point after the next one, in (0, 1): {@link #decayFor}
     */
    public double add(float x, DriftReference reference, double decay) {
        float[] q = quantilesOf(reference);
        double weight = total == 0 ? 1 : newest / decay;
        if (weight > RESCALE_ABOVE) {
            rescale(1 / newest);
            weight = 1 / decay;
        }
        newest = weight;
        total += weight;
        if (x < q[0]) {
            belowWeight += weight;
            belowSum += weight * x;
        } else if (x > q[weights.length]) {
            aboveWeight += weight;
            aboveSum += weight * x;
        } else {
            weights[interval(q, x)] += weight;
        }
        return distance(reference);
    }

    /** The distance of the window from {@code reference}; NaN before the first point. */
    public double distance(DriftReference reference) {
        float[] q = quantilesOf(reference);
        if (total == 0) {
            return Double.NaN;
        }
        int k = weights.length;
        double inverse = 1 / total;
        double w1 = (belowWeight * q[0] - belowSum + aboveSum - aboveWeight * q[k]) * inverse;
        double cumulative = belowWeight * inverse;
        double trained = 0;
        double step = 1.0 / k;
        for (int i = 0; i < k; i++) {
            double d0 = cumulative - trained;
            cumulative += weights[i] * inverse;
            trained += step;
            w1 += (q[i + 1] - q[i]) * meanAbsolute(d0, cumulative - trained);
        }
        return w1;
    }

    private float[] quantilesOf(DriftReference reference) {
        float[] q = reference.quantiles();
        if (q.length != weights.length + 1) {
            throw new IllegalArgumentException("a window of " + weights.length + " intervals against a sketch of "
                    + q.length + " quantiles");
        }
        return q;
    }

    /** Total weight, the newest point's being 1: about the window's length once full, less before. */
    public double weight() {
        return total / newest;
    }

    public int intervals() {
        return weights.length;
    }

    /** Bytes {@link #write} takes. */
    public int size() {
        return (weights.length + 6) * Double.BYTES;
    }

    /** Writes the weights as held, so a window read back goes on bit for bit as this one. */
    public void write(ByteBuffer out) {
        out.putDouble(belowWeight).putDouble(belowSum).putDouble(aboveWeight).putDouble(aboveSum).putDouble(total)
                .putDouble(newest);
        for (double w : weights) {
            out.putDouble(w);
        }
    }

    private void rescale(double scale) {
        belowWeight *= scale;
        belowSum *= scale;
        aboveWeight *= scale;
        aboveSum *= scale;
        total *= scale;
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= scale;
        }
        newest *= scale;
    }

    /** A window of {@code intervals} intervals that {@link #write} wrote. */
    public static DriftWindow read(ByteBuffer in, int intervals) {
        DriftWindow d = new DriftWindow(intervals);
        d.belowWeight = in.getDouble();
        d.belowSum = in.getDouble();
        d.aboveWeight = in.getDouble();
        d.aboveSum = in.getDouble();
        d.total = in.getDouble();
        d.newest = in.getDouble();
        for (int i = 0; i < d.weights.length; i++) {
            d.weights[i] = in.getDouble();
        }
        return d;
    }

    /**
     * The interval holding x, for q_0 <= x <= q_K: the last i with q_i <= x, at most K - 1; but where x
     * equals a run of tied quantiles (a training series that sits on a few levels), the zero-width
     * interval inside the run, so x's weight stays a point mass at x as the reference's is.
     */
    private static int interval(float[] q, float x) {
        int lo = 0;
        int hi = q.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (q[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if (lo > 0 && q[lo] == x && q[lo - 1] == x) {
            lo--;
        }
        return lo;
    }

    /**
     * Mean of |d| over an interval where d goes linearly from d0 to d1: (|d0| + |d1|) / 2, less
     * |d0| |d1| / (|d0| + |d1|) where d changes sign. The two CDFs cross in few intervals, so the
     * division is rare and its branch well predicted.
     */
    private static double meanAbsolute(double d0, double d1) {
        double a = Math.abs(d0);
        double b = Math.abs(d1);
        double mean = (a + b) / 2;
        if (d0 * d1 < 0) {
            mean -= a * b / (a + b);
        }
        return mean;
    }
}
