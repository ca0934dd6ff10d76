package io.vigil.topology.scoring;

/**
 * The fallback detector for channels without a released model, and the honest floor any model must
 * beat. It forecasts the last value, smooths the absolute error with an EWMA (span {@code errorSpan},
 * Telemanom's 105 by default), and flags a point when the smoothed error exceeds
 * {@code mean + k sigma} of the smoothed error's own exponentially weighted history (span
 * {@code statsSpan}). The threshold is taken before the point updates the statistics, so a spike
 * cannot raise its own bar. No point is flagged during the first {@code warmup} points of a channel.
 *
 * <p>Pure and allocation-light: the state goes in, the next state and the verdict come out.
 */
public final class BaselineDetector {

    /**
     * @param errorSpan EWMA span of the absolute error (alpha = 2 / (span + 1))
     * @param statsSpan span of the exponentially weighted mean and variance of the smoothed error
     * @param k how many standard deviations above the mean the threshold sits
     * @param warmup points per channel before any point can be flagged
     */
    public record Settings(int errorSpan, int statsSpan, double k, int warmup) {
        public static final Settings DEFAULT = new Settings(105, 2100, 4.0, 250);

        public Settings {
            if (errorSpan < 1 || statsSpan < 1 || warmup < 0 || !(k > 0)) {
                throw new IllegalArgumentException("invalid baseline settings: Settings[errorSpan=" + errorSpan
                        + ", statsSpan=" + statsSpan + ", k=" + k + ", warmup=" + warmup + "]");
            }
        }
    }

    /** What the detector remembers of one channel between points. */
    public record State(long count, long lastTime, double lastValue, double smoothedError,
                        double errorMean, double errorVariance) {}

    /** The verdict on one point and the channel's state after it. */
    public record Verdict(double forecast, double error, double smoothedError, double threshold,
                          boolean anomalous, State next) {}

    private final Settings settings;
    private final double errorAlpha;
    private final double statsAlpha;

    public BaselineDetector(Settings settings) {
        this.settings = settings;
        this.errorAlpha = 2.0 / (settings.errorSpan() + 1);
        this.statsAlpha = 2.0 / (settings.statsSpan() + 1);
    }

    /** Scores {@code value} at {@code time} given the channel's state, or {@code null} for a new channel. */
    public Verdict score(State state, long time, double value) {
        if (state == null) {
            return new Verdict(value, 0.0, 0.0, Double.NaN, false, new State(1, time, value, 0.0, 0.0, 0.0));
        }
        double forecast = state.lastValue();
        double error = Math.abs(value - forecast);
        double smoothed = errorAlpha * error + (1 - errorAlpha) * state.smoothedError();
        long count = state.count() + 1;
        double threshold = count > settings.warmup()
                ? state.errorMean() + settings.k() * Math.sqrt(state.errorVariance())
                : Double.NaN;
        boolean anomalous = smoothed > threshold;

        // Incremental exponentially weighted mean and variance (West/Finch), one pass, O(1) state.
        double diff = smoothed - state.errorMean();
        double increment = statsAlpha * diff;
        double mean = state.errorMean() + increment;
        double variance = (1 - statsAlpha) * (state.errorVariance() + diff * increment);
        return new Verdict(forecast, error, smoothed, threshold, anomalous,
                new State(count, time, value, smoothed, mean, variance));
    }
}
