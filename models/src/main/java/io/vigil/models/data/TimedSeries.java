package io.vigil.models.data;

import io.vigil.datasets.TimedCsv;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code timestamp,value} CSV file (NAB's and the plain layout's series) as the trainer reads it:
 * {@link TimedCsv} with non-finite values refused, and rows whose time does not increase skipped and
 * reported in {@link #notes()}, the way the replay producer skips them, so the model learns the series
 * the scorer will see.
 */
public record TimedSeries(Path file, long[] times, double[] values, List<String> notes) {

    public int size() {
        return values.length;
    }

    public static TimedSeries read(Path file) {
        TimedCsv csv = TimedCsv.read(file, TimedCsv.Order.SKIP_NON_INCREASING, true);
        return new TimedSeries(file, csv.times(), csv.values(), csv.skippedNote().stream().toList());
    }
}
