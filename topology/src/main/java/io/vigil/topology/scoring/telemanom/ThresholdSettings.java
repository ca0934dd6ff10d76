package io.vigil.topology.scoring.telemanom;

/**
 * Telemanom's thresholding settings, defaulting to the reference configuration: windows of
 * {@code windowSize} batches of {@code batchSize} errors (h = 2,100), an EWMA span of
 * {@code int(h * smoothingPerc)} (105), flagged indices widened by {@code errorBuffer}, pruning at a
 * minimum relative drop of {@code pruneP}, and a start-up transient of {@code lS} values.
 *
 * @param batchSize errors decided per threshold step (one downlink)
 * @param windowSize batches per threshold window
 * @param smoothingPerc EWMA span as a fraction of the window length
 * @param errorBuffer indices added on each side of a flagged index
 * @param pruneP minimum relative drop between consecutive sequence maxima that keeps the larger one
 * @param lS model input length; the first {@code lS} smoothed errors are a start-up transient
 */
public record ThresholdSettings(int batchSize, int windowSize, double smoothingPerc, int errorBuffer,
                                double pruneP, int lS) {

    public static final ThresholdSettings DEFAULT = new ThresholdSettings(70, 30, 0.05, 100, 0.13, 250);

    /**
     * The longest threshold window a release may ask for: ten times Telemanom's. A channel keeps two
     * doubles per window index in its store and assembles arrays of the window's length on every
     * batch, so an unbounded window is an allocation a release author chooses for every scorer; this
     * also keeps one batch chunk (2 * batchSize doubles) a small changelog record.
     */
    public static final int MAX_WINDOW_LENGTH = 21_000;

    public ThresholdSettings {
        if (batchSize < 1 || windowSize < 1 || errorBuffer < 0 || lS < 0
                || !(smoothingPerc > 0) || !(pruneP > 0 && pruneP < 1)) {
            throw refusal("invalid threshold settings", batchSize, windowSize, smoothingPerc, errorBuffer, pruneP, lS);
        }
        long windowLength = (long) batchSize * windowSize;
        if (windowLength > MAX_WINDOW_LENGTH || errorBuffer > MAX_WINDOW_LENGTH) {
            throw refusal("window length or error buffer above " + MAX_WINDOW_LENGTH,
                    batchSize, windowSize, smoothingPerc, errorBuffer, pruneP, lS);
        }
        if ((int) (windowLength * smoothingPerc) < 1) {
            throw refusal("smoothing span below 1", batchSize, windowSize, smoothingPerc, errorBuffer, pruneP, lS);
        }
        // The streaming form substitutes the start-up mean when it assembles its first window, so the
        // 2 * lS values that mean is taken over must all exist by then.
        if (windowLength < 2L * lS) {
            throw refusal("window shorter than 2 * lS", batchSize, windowSize, smoothingPerc, errorBuffer, pruneP, lS);
        }
    }

    // Names the values given: the record's fields are not yet assigned while the constructor checks.
    private static IllegalArgumentException refusal(String problem, int batchSize, int windowSize,
                                                    double smoothingPerc, int errorBuffer, double pruneP, int lS) {
        return new IllegalArgumentException(problem + ": ThresholdSettings[batchSize=" + batchSize
                + ", windowSize=" + windowSize + ", smoothingPerc=" + smoothingPerc + ", errorBuffer=" + errorBuffer
                + ", pruneP=" + pruneP + ", lS=" + lS + "]");
    }

    /** h: smoothed errors per threshold window (2,100 by default). */
    public int windowLength() {
        return batchSize * windowSize;
    }

    /** The EWMA span, truncated like the reference's {@code int(...)}: 105 by default. */
    public int smoothingSpan() {
        return (int) (batchSize * windowSize * smoothingPerc);
    }

    /** Indices at the start of a channel whose verdict the streaming form never flags: 2 * lS. */
    public int startupIgnored() {
        return 2 * lS;
    }
}
