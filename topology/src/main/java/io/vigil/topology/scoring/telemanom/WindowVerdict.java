package io.vigil.topology.scoring.telemanom;

/**
 * What {@link ThresholdSearch} decided for one window. Indices are relative to the window's start.
 *
 * @param mean mu, the mean of the window's smoothed errors
 * @param sd sigma, their population standard deviation
 * @param z the chosen multiplier for normal errors (12 when no candidate qualified)
 * @param zInverse the chosen multiplier for inverted errors (2 mu - e_s)
 * @param significant false when the window was skipped because its errors are too small to matter
 * @param flagged the flagged indices that survived pruning, normal and inverted together, ascending
 * @param severity per flagged index: max(|e_s - epsilon|, |e_inv - epsilon_inv|) / (mu + sigma)
 */
public record WindowVerdict(double mean, double sd, double z, double zInverse, boolean significant,
                            int[] flagged, double[] severity) {

    /** epsilon = mu + z sigma: smoothed errors at or above it are high. */
    public double epsilon() {
        return mean + z * sd;
    }

    /** epsilon_inv = mu + z_inv sigma, on the inverted errors. */
    public double epsilonInverse() {
        return mean + zInverse * sd;
    }

    /** The inverted threshold in smoothed-error units: errors at or below 2 mu - epsilon_inv are low. */
    public double lowerThreshold() {
        return mean - zInverse * sd;
    }
}
