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
        List<Integer> lines = csv.skipped().stream().map(TimedCsv.Skipped::line).toList();
        List<String> notes = lines.isEmpty() ? List.of() : List.of(file.getFileName() + ": skipped " + lines.size()
                + " row(s) whose time does not increase, at line(s) " + abbreviate(lines));
        return new TimedSeries(file, csv.times(), csv.values(), notes);
    }

    private static String abbreviate(List<Integer> lines) {
        if (lines.size() <= 10) {
            return lines.toString();
        }
        return lines.subList(0, 10) + " and " + (lines.size() - 10) + " more";
    }
}
