package io.vigil.topology.scoring.telemanom;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Telemanom's thresholding over a whole series, as the reference runs it after the fact: the
 * reference against which {@link StreamingThreshold} is checked.
 *
 * <p>Errors are smoothed ({@link Ewma}) and the first lS smoothed values replaced by the mean of the
 * first 2 lS. For a series of n >= h values, windows of the trailing h smoothed errors end at h,
 * h + batchSize, h + 2 batchSize, ... while they fit. The first window may flag any index from
 * {@link #ignoredAtStart(int)} on; each later window only its newest batch. A series shorter than h is
 * one window (the reference shrinks its window the same way). Flagged indices of all windows are
 * joined into contiguous sequences; sequences of one index are dropped.
 *
 * <p>One deliberate difference from the reference: values after the last complete batch (fewer than
 * batchSize) are left undecided, as a stream has not decided them yet either. The reference instead
 * stretches its last window to the end of the series and, since only the newest batchSize values of
 * that window can be flagged, never judges the values in between.
 *
 * <p>The streaming form cannot know a series' length, so it always ignores 2 lS at the start; the two
 * agree on any series of at least max(h, 2,500) values.
 */
public final class BatchTelemanom {

    private final ThresholdSettings settings;
    private final ThresholdSearch search;

    public BatchTelemanom(ThresholdSettings settings) {
        this.settings = settings;
        this.search = new ThresholdSearch(settings);
    }

    /**
     * @param smoothed the smoothed errors actually thresholded (start-up values replaced)
     * @param sequences the anomalous sequences, in order
     * @param anomalous the indices covered by {@code sequences}
     * @param decided how many leading indices have been judged
     */
    public record Result(double[] smoothed, List<AnomalySequence> sequences, BitSet anomalous, int decided) {}

    /** Detects anomalies from raw absolute prediction errors and the values they were made on. */
    public Result detect(double[] errors, double[] values) {
        double[] smoothed = Ewma.smooth(errors, settings.smoothingSpan());
        replaceStartup(smoothed, settings.lS());
        return detectSmoothed(smoothed, values);
    }

    /** Replaces the first {@code lS} smoothed errors by the mean of the first {@code 2 lS} (start-up transient). */
    public static void replaceStartup(double[] smoothed, int lS) {
        int n = Math.min(2 * lS, smoothed.length);
        if (n == 0) {
            return;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += smoothed[i];
        }
        double mean = sum / n;
        for (int i = 0; i < Math.min(lS, smoothed.length); i++) {
            smoothed[i] = mean;
        }
    }

    /** The reference's rule for the first window: 2 lS indices ignored, lS below 2,500 values, none below 1,800. */
    public int ignoredAtStart(int seriesLength) {
        if (seriesLength < 1800) {
            return 0;
        }
        return seriesLength < 2500 ? settings.lS() : 2 * settings.lS();
    }

    /** Detects anomalies in already smoothed errors, used as they are. */
    public Result detectSmoothed(double[] smoothed, double[] values) {
        if (smoothed.length != values.length) {
            throw new IllegalArgumentException("errors and values differ in length");
        }
        int n = smoothed.length;
        int h = settings.windowLength();
        int batch = settings.batchSize();
        boolean[] flagged = new boolean[n];
        double[] severity = new double[n];
        int decided = 0;
        if (n > 0 && n < h) {
            apply(search.evaluate(smoothed, values, 0, n, ignoredAtStart(n), i -> false), 0, flagged, severity);
            decided = n;
        }
        for (int end = h; end <= n; end += batch) {
            int start = end - h;
            int first = start == 0 ? ignoredAtStart(n) : h - batch;
            WindowVerdict verdict = search.evaluate(smoothed, values, start, h, first, i -> flagged[start + i]);
            apply(verdict, start, flagged, severity);
            decided = end;
        }
        return group(smoothed, flagged, severity, decided);
    }

    private static void apply(WindowVerdict verdict, int start, boolean[] flagged, double[] severity) {
        for (int k = 0; k < verdict.flagged().length; k++) {
            flagged[start + verdict.flagged()[k]] = true;
            severity[start + verdict.flagged()[k]] = verdict.severity()[k];
        }
    }

    static Result group(double[] smoothed, boolean[] flagged, double[] severity, int decided) {
        List<AnomalySequence> sequences = new ArrayList<>();
        BitSet anomalous = new BitSet(decided);
        int i = 0;
        while (i < decided) {
            if (!flagged[i]) {
                i++;
                continue;
            }
            int start = i;
            double worst = severity[i];
            while (i + 1 < decided && flagged[i + 1]) {
                worst = Math.max(worst, severity[++i]);
            }
            if (i > start) {
                sequences.add(new AnomalySequence(start, i, worst));
                anomalous.set(start, i + 1);
            }
            i++;
        }
        return new Result(smoothed, List.copyOf(sequences), anomalous, decided);
    }
}
