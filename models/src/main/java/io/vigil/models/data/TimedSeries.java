package io.vigil.models.data;

import io.vigil.datasets.TimedCsv;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code timestamp,value} CSV file (NAB's and the plain layout's series) as the trainer reads it:
 * {@link TimedCsv} with non-finite values refused, and rows whose time does not increase skipped and
 * reported in {@link #notes()}, the way the replay producer skips them, so the model learns the series
 * the scorer will see. Columns after the value are the points' input features.
 *
 * @param inputNames the input columns' names, in order
 * @param inputs {@code [input][point]}: the input features beside the values, one column per name
 */
public record TimedSeries(Path file, long[] times, double[] values, List<String> inputNames, double[][] inputs,
                          List<String> notes) {

    public int size() {
        return values.length;
    }

    public static TimedSeries read(Path file) {
        TimedCsv csv = TimedCsv.read(file, TimedCsv.Order.SKIP_NON_INCREASING, true);
        int count = csv.inputNames().size();
        double[][] columns = new double[count][csv.values().length];
        for (int r = 0; r < csv.values().length; r++) {
            for (int k = 0; k < count; k++) {
                columns[k][r] = csv.inputs()[r][k];
            }
        }
        return new TimedSeries(file, csv.times(), csv.values(), csv.inputNames(), columns,
                csv.skippedNote().stream().toList());
    }
}
