package io.vigil.replay.source;

import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One channel's series read from a {@code timestamp,value} CSV file (NAB's layout); timestamps as
 * {@link Timestamps} reads them. Unreadable rows are errors naming the file and line. Points must be in
 * strictly increasing time order: a row whose time does not increase (real data has them, e.g. the clock
 * change of a daylight-saving switch) is an error when loading strictly, and otherwise skipped and
 * reported in {@code skippedRows}, never silently reordered.
 */
public record CsvSeries(String channelId, long[] times, double[] values, List<String> skippedRows) {

    public CsvSeries(String channelId, long[] times, double[] values) {
        this(channelId, times, values, List.of());
    }

    public int size() {
        return times.length;
    }

    /** This file's points as a replayable series with the given source and ground truth. */
    public Series toSeries(String source, List<TimeWindow> labels) {
        return new Series(channelId, source, times, values, labels);
    }

    /** One line for the operator when rows were skipped, or null. */
    public String skippedSummary(Path file) {
        return skippedRows.isEmpty() ? null
                : file + ": skipped " + skippedRows.size() + " row(s) whose timestamp does not increase, first: "
                        + skippedRows.get(0);
    }

    /** Loads {@code file} as channel {@code channelId}, failing on any row out of time order. */
    public static CsvSeries load(Path file, String channelId) throws IOException {
        return load(file, channelId, true);
    }

    /** Loads {@code file}; when not {@code strict}, rows whose time does not increase are skipped. */
    public static CsvSeries load(Path file, String channelId, boolean strict) throws IOException {
        List<String> skipped = new ArrayList<>();
        long[] times = new long[1024];
        double[] values = new double[1024];
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            int lineNo = 1;
            if (line == null || !line.trim().equalsIgnoreCase("timestamp,value")) {
                throw new IllegalArgumentException(file + ":1: expected the header 'timestamp,value', found '" + line + "'");
            }
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'timestamp,value', found '" + line + "'");
                }
                long time;
                try {
                    time = Timestamps.parse(line.substring(0, comma));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage());
                }
                double value;
                try {
                    value = Double.parseDouble(line.substring(comma + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": value is not a number: '" + line.substring(comma + 1) + "'");
                }
                if (n > 0 && time <= times[n - 1]) {
                    String problem = file + ":" + lineNo + ": timestamp does not increase (" + line.substring(0, comma) + ")";
                    if (strict) {
                        throw new IllegalArgumentException(problem);
                    }
                    skipped.add(problem);
                    continue;
                }
                if (n == times.length) {
                    times = Arrays.copyOf(times, n * 2);
                    values = Arrays.copyOf(values, n * 2);
                }
                times[n] = time;
                values[n] = value;
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(file + ": no data rows");
        }
        return new CsvSeries(channelId, Arrays.copyOf(times, n), Arrays.copyOf(values, n), List.copyOf(skipped));
    }

    /** Channel id for a file: its name without the extension. */
    public static String channelIdOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
