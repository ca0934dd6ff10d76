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
 * there. Each point multiplies every weight by {@code decay} and adds 1 where it falls, so the window
 * is a sliding one of about {@code 1 / (1 - decay)} points without keeping the points themselves.
 * {@code W1 = integral |F_window(x) - F_train(x)| dx}: between two quantiles both CDFs are taken as
 * linear (the reference's mass {@code 1/K} and the window's spread evenly over the interval), so each
 * interval's part is the integral of the absolute value of a linear function; the tails are exact
 * ({@code sum of (q_0 - x)} below, {@code sum of (x - q_K)} above). The distance is in scaled units, where
 * the training series spans [-1, 1]: a window shifted by d beyond the training range is d away.
 *
 * <p>One pass over the K intervals per point, decay and distance together: O(K), no allocation. The
 * window keeps neither the reference nor the decay, which belong to the model and the settings.
 */
public final class DriftWindow {

    /** Window weight of each interval [q_i, q_i+1]. */
    private final double[] weights;
    private double belowWeight;
    private double belowSum;
    private double aboveWeight;
    private double aboveSum;
    private double total;
    private double distance = Double.NaN;

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
        float[] q = reference.quantiles();
        int k = weights.length;
        if (q.length != k + 1) {
            throw new IllegalArgumentException("a window of " + k + " intervals against a sketch of " + q.length
                    + " quantiles");
        }
        belowWeight *= decay;
        belowSum *= decay;
        aboveWeight *= decay;
        aboveSum *= decay;
        total = total * decay + 1;
        int bin = -1;
        if (x < q[0]) {
            belowWeight += 1;
            belowSum += x;
        } else if (x > q[k]) {
            aboveWeight += 1;
            aboveSum += x;
        } else {
            bin = interval(q, x);
        }
        double n = total;
        double w1 = (belowWeight * q[0] - belowSum + aboveSum - aboveWeight * q[k]) / n;
        double cumulative = belowWeight / n;
        double step = 1.0 / k;
        for (int i = 0; i < k; i++) {
            double w = weights[i] * decay + (i == bin ? 1 : 0);
            weights[i] = w;
            double d0 = cumulative - i * step;
            cumulative += w / n;
            double d1 = cumulative - (i + 1) * step;
            w1 += (q[i + 1] - q[i]) * meanAbsolute(d0, d1);
        }
        distance = w1;
        return w1;
    }

    /** The distance after the last point; NaN before the first. */
    public double distance() {
        return distance;
    }

    /** Total weight: about the window's length once full, less before. */
    public double weight() {
        return total;
    }

    public int intervals() {
        return weights.length;
    }

    /** Bytes {@link #write} takes. */
    public int size() {
        return (weights.length + 6) * Double.BYTES;
    }

    public void write(ByteBuffer out) {
        out.putDouble(belowWeight).putDouble(belowSum).putDouble(aboveWeight).putDouble(aboveSum).putDouble(total)
                .putDouble(distance);
        for (double w : weights) {
            out.putDouble(w);
        }
    }

    /** A window of {@code intervals} intervals that {@link #write} wrote. */
    public static DriftWindow read(ByteBuffer in, int intervals) {
        DriftWindow d = new DriftWindow(intervals);
        d.belowWeight = in.getDouble();
        d.belowSum = in.getDouble();
        d.aboveWeight = in.getDouble();
        d.aboveSum = in.getDouble();
        d.total = in.getDouble();
        d.distance = in.getDouble();
        for (int i = 0; i < d.weights.length; i++) {
            d.weights[i] = in.getDouble();
        }
        return d;
    }

    /** The interval [q_i, q_i+1] holding x, for q_0 <= x <= q_K: the last i with q_i <= x, at most K - 1. */
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
        return lo;
    }

    /** Mean of |d| over an interval where d goes linearly from d0 to d1. */
    private static double meanAbsolute(double d0, double d1) {
        if ((d0 >= 0) == (d1 >= 0)) {
            return Math.abs(d0 + d1) / 2;
        }
        double a = Math.abs(d0);
        double b = Math.abs(d1);
        return (a * a + b * b) / (2 * (a + b));
    }
}
