package io.vigil.models.data;

import io.vigil.datasets.CsvFields;
import io.vigil.datasets.DataFormatException;
import io.vigil.datasets.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code timestamp,value} CSV file (NAB's and the plain layout's series): a header line
 * {@code timestamp,value}, then one point per line. Blank lines are ignored. A timestamp or value that
 * does not parse, a non-finite value or a wrong field count is a {@link DataFormatException} naming the
 * file and line. A row whose time does not increase (NAB has them: the repeated hour of a daylight-saving
 * change, one clock step back) is skipped and reported in {@link #notes()}, the way the replay producer
 * skips it, so the model learns the series the scorer will see.
 */
public record TimedSeries(Path file, long[] times, double[] values, List<String> notes) {

    public int size() {
        return values.length;
    }

    public static TimedSeries read(Path file) {
        long[] times = new long[4096];
        double[] values = new double[4096];
        int n = 0;
        List<Integer> skipped = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = CsvFields.withoutBom(in.readLine());
            if (header == null) {
                throw new DataFormatException(file, 1, "empty file; expected the header 'timestamp,value'");
            }
            List<String> names = CsvFields.split(file, 1, header);
            if (names.size() != 2 || !names.get(0).equalsIgnoreCase("timestamp") || !names.get(1).equalsIgnoreCase("value")) {
                throw new DataFormatException(file, 1, "expected the header 'timestamp,value', found '" + header + "'");
            }
            int lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = CsvFields.split(file, lineNumber, line);
                if (fields.size() != 2) {
                    throw new DataFormatException(file, lineNumber, "expected 2 fields (timestamp,value), found "
                            + fields.size() + ": '" + line + "'");
                }
                long time;
                try {
                    time = Timestamps.parse(fields.get(0));
                } catch (IllegalArgumentException e) {
                    throw new DataFormatException(file, lineNumber, e.getMessage());
                }
                double value = parseValue(file, lineNumber, fields.get(1));
                if (n > 0 && time <= times[n - 1]) {
                    skipped.add(lineNumber);
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
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new DataFormatException(file, "no data rows after the header");
        }
        List<String> notes = skipped.isEmpty() ? List.of() : List.of(file.getFileName() + ": skipped " + skipped.size()
                + " row(s) whose time does not increase, at line(s) " + abbreviate(skipped));
        return new TimedSeries(file, Arrays.copyOf(times, n), Arrays.copyOf(values, n), notes);
    }

    static double parseValue(Path file, int lineNumber, String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, lineNumber, "value '" + text + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw new DataFormatException(file, lineNumber, "value '" + text + "' is not finite");
        }
        return value;
    }

    private static String abbreviate(List<Integer> lines) {
        if (lines.size() <= 10) {
            return lines.toString();
        }
        return lines.subList(0, 10) + " and " + (lines.size() - 10) + " more";
    }
}
