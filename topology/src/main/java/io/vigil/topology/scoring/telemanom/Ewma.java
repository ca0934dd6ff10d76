package io.vigil.topology.scoring.telemanom;

/**
 * Exponentially weighted mean with pandas' {@code ewm(span=s, adjust=True).mean()} semantics, the
 * smoothing Telemanom applies to its prediction errors: alpha = 2 / (s + 1) and the value after
 * x_0..x_t is sum (1-alpha)^k x_(t-k) / sum (1-alpha)^k, so early values are the true weighted mean
 * of what has been seen rather than being pulled towards an arbitrary start value. Every input
 * counts (pandas' {@code min_periods=0}); inputs must be finite, so pandas' NaN handling does not arise.
 *
 * <p>Telemanom also replaces the first lS smoothed values by the mean of the first 2 lS; that belongs
 * to the detectors, not to the smoothing: see {@link BatchTelemanom#replaceStartup} and
 * {@link StreamingThreshold}.
 *
 * <p>Kept as pandas does, in the numerically tame form (mean, total weight) rather than as a growing
 * numerator and denominator, so a channel's state is two doubles. Not thread-safe; one per channel.
 */
public final class Ewma {

    private final double decay;
    private double mean = Double.NaN;
    private double weight;

    public Ewma(int span) {
        if (span < 1) {
            throw new IllegalArgumentException("span must be >= 1: " + span);
        }
        this.decay = 1.0 - 2.0 / (span + 1.0);
    }

    /** Adds {@code x} and returns the smoothed value including it. */
    public double update(double x) {
        if (weight == 0) {
            mean = x;
            weight = 1;
            return x;
        }
        double old = weight * decay;
        // pandas skips the division when the value repeats the mean, which keeps constant input exact.
        if (x != mean) {
            mean = (old * mean + x) / (old + 1.0);
        }
        weight = old + 1.0;
        return mean;
    }

    /** The current smoothed value, NaN before the first update. */
    public double mean() {
        return mean;
    }

    /** The sum of the current weights: 1 after the first value, tending to (s + 1) / 2. */
    public double weight() {
        return weight;
    }

    /** Resumes from a persisted {@link #mean()} and {@link #weight()} (weight 0: nothing seen yet). */
    public Ewma restore(double mean, double weight) {
        if (!(weight >= 0)) {
            throw new IllegalArgumentException("negative weight: " + weight);
        }
        this.mean = weight == 0 ? Double.NaN : mean;
        this.weight = weight;
        return this;
    }

    /** Smooths a whole series, as {@code pd.Series(x).ewm(span=span).mean()}. */
    public static double[] smooth(double[] x, int span) {
        Ewma ewma = new Ewma(span);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = ewma.update(x[i]);
        }
        return out;
    }
}
