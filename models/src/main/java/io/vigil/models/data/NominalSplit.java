package io.vigil.models.data;

import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.Timestamps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits one timed series that has no training part of its own (NAB, plain CSV) into a nominal
 * training part and a test part.
 *
 * <p>The training part is the first {@code trainFraction} of the points (NAB's probationary period is
 * the first 15 %, so 0.15 by default: the points a NAB detector may learn from without being scored). It
 * ends earlier if a labeled window starts inside it, so the model learns from nominal data only: NAB's
 * {@code machine_temperature_system_failure} has a window starting at 9.5 % of the file. The test part
 * is every point after the training part; labels are mapped to the indices of their first and last
 * point inside the window, and re-indexed to the test part.
 */
public final class NominalSplit {

    private NominalSplit() {}

    public static ChannelData split(String channelId, String source, TimedSeries series, List<TimeWindow> windows,
            double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("the training fraction must be between 0 and 1, got " + trainFraction);
        }
        List<String> notes = new ArrayList<>(series.notes());
        long[] times = series.times();
        List<LabelRange> ranges = new ArrayList<>();
        for (TimeWindow w : windows) {
            int first = firstAtOrAfter(times, w.start());
            int last = firstAtOrAfter(times, w.end() + 1) - 1;
            if (first > last) {
                notes.add("label window " + Timestamps.format(w.start()) + " .. " + Timestamps.format(w.end())
                        + " holds no point of the series; ignored");
                continue;
            }
            ranges.add(new LabelRange(first, last, w.kind()));
        }
        ranges.sort(Comparator.comparingInt(LabelRange::first));
        int n = series.size();
        int trainEnd = (int) Math.floor(n * trainFraction);
        if (!ranges.isEmpty() && ranges.get(0).first() < trainEnd) {
            int cut = ranges.get(0).first();
            notes.add(String.format("training part ends at point %d (%s), where the first labeled window starts,"
                    + " instead of at %d (%.0f %% of %d points)", cut, Timestamps.format(times[cut]), trainEnd,
                    trainFraction * 100, n));
            trainEnd = cut;
        }
        if (trainEnd < 1) {
            throw new IllegalArgumentException(channelId + ": no nominal point to train on (" + n + " points, "
                    + "training part of " + trainFraction + (ranges.isEmpty() ? "" : ", first label at point 0") + ")");
        }
        int offset = trainEnd;
        List<LabelRange> testLabels = ranges.stream().map(r -> r.shiftedLeft(offset)).toList();
        double[][] all = series.inputs();
        double[][] trainInputs = new double[all.length][];
        double[][] testInputs = new double[all.length][];
        for (int k = 0; k < all.length; k++) {
            trainInputs[k] = Arrays.copyOfRange(all[k], 0, trainEnd);
            testInputs[k] = Arrays.copyOfRange(all[k], trainEnd, n);
        }
        return new ChannelData(channelId, source,
                Arrays.copyOfRange(series.values(), 0, trainEnd), Arrays.copyOfRange(series.values(), trainEnd, n),
                Arrays.copyOfRange(times, 0, trainEnd), Arrays.copyOfRange(times, trainEnd, n), testLabels, notes,
                new InputColumns(series.inputNames(), trainInputs, testInputs));
    }

    /** Index of the first time at or after {@code t}, or {@code times.length}. */
    static int firstAtOrAfter(long[] times, long t) {
        int i = Arrays.binarySearch(times, t);
        return i >= 0 ? i : -i - 1;
    }
}
