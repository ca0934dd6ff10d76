package io.vigil.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A {@code timestamp,value} CSV file (NAB's series, the plain layout's), read alike by the trainer and
 * the replay producer: a header line {@code timestamp,value}, then one point per line, timestamps as
 * {@link Timestamps} reads them; blank lines are ignored. Columns after {@code value}, named in the
 * header (e.g. {@code timestamp,value,valve_open,setpoint}), are the point's input features, numbers
 * like the value. A timestamp or value that does not parse or a
 * wrong field count is a {@link DataFormatException} naming the file and line.
 *
 * <p>A row whose time does not increase (NAB has them: the repeated hour of a daylight-saving change,
 * one clock step back) is an error under {@link Order#STRICT} and otherwise skipped and listed in
 * {@link #skipped()}, never reordered. Non-finite values are the caller's rule: the trainer refuses
 * them, a replay sends them on for the scorer to dead-letter.
 *
 * @param file the file read
 * @param inputNames the header's names of the columns after {@code value}, in order; empty for none
 * @param inputs {@code [row][input]}: each kept row's input features; no rows when there are none
 * @param skipped the rows left out under {@link Order#SKIP_NON_INCREASING}, in file order
 */
public record TimedCsv(Path file, long[] times, double[] values, List<String> inputNames, double[][] inputs,
                       List<Skipped> skipped) {

    /** What to do with a row whose time is not after the previous row's. */
    public enum Order { STRICT, SKIP_NON_INCREASING }

    /** A row left out: its 1-based line and its timestamp as written. */
    public record Skipped(int line, String timestamp) {}

    /** One line for the operator when rows were skipped: how many, and where. */
    public Optional<String> skippedNote() {
        if (skipped.isEmpty()) {
            return Optional.empty();
        }
        List<Integer> lines = skipped.stream().map(Skipped::line).toList();
        String where = lines.size() <= 10 ? lines.toString()
                : lines.subList(0, 10) + " and " + (lines.size() - 10) + " more";
        return Optional.of(file + ": skipped " + lines.size() + " row(s) whose time does not increase, at line(s) "
                + where);
    }

    /** Reads {@code file}; {@code finiteOnly} makes NaN and infinite values errors. */
    public static TimedCsv read(Path file, Order order, boolean finiteOnly) {
        long[] times = new long[4096];
        double[] values = new double[4096];
        double[][] inputs = new double[4096][];
        int n = 0;
        List<String> inputNames;
        List<Skipped> skipped = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = CsvFields.withoutBom(in.readLine());
            if (header == null) {
                throw new DataFormatException(file, 1, "empty file; expected the header 'timestamp,value'");
            }
            List<String> names = CsvFields.split(file, 1, header);
            if (names.size() < 2 || !names.get(0).equalsIgnoreCase("timestamp") || !names.get(1).equalsIgnoreCase("value")) {
                throw new DataFormatException(file, 1, "expected the header 'timestamp,value' (then any input columns),"
                        + " found '" + header + "'");
            }
            inputNames = List.copyOf(names.subList(2, names.size()));
            if (inputNames.stream().anyMatch(String::isBlank) || inputNames.stream().distinct().count() < inputNames.size()) {
                throw new DataFormatException(file, 1, "input columns need distinct, non-empty names: '" + header + "'");
            }
            int lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = CsvFields.split(file, lineNumber, line);
                if (fields.size() != names.size()) {
                    throw new DataFormatException(file, lineNumber, "expected " + names.size() + " fields ("
                            + String.join(",", names) + "), found " + fields.size() + ": '" + line + "'");
                }
                long time;
                try {
                    time = Timestamps.parse(fields.get(0));
                } catch (IllegalArgumentException e) {
                    throw new DataFormatException(file, lineNumber, e.getMessage());
                }
                double value = value(file, lineNumber, "value", fields.get(1), finiteOnly);
                double[] row = new double[inputNames.size()];
                for (int k = 0; k < row.length; k++) {
                    row[k] = value(file, lineNumber, "input '" + inputNames.get(k) + "'", fields.get(2 + k), finiteOnly);
                }
                if (n > 0 && time <= times[n - 1]) {
                    if (order == Order.STRICT) {
                        throw new DataFormatException(file, lineNumber, "timestamp does not increase (" + fields.get(0) + ")");
                    }
                    skipped.add(new Skipped(lineNumber, fields.get(0)));
                    continue;
                }
                if (n == times.length) {
                    times = Arrays.copyOf(times, n * 2);
                    values = Arrays.copyOf(values, n * 2);
                    inputs = Arrays.copyOf(inputs, n * 2);
                }
                times[n] = time;
                values[n] = value;
                inputs[n] = row;
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
        return new TimedCsv(file, Arrays.copyOf(times, n), Arrays.copyOf(values, n), inputNames,
                inputNames.isEmpty() ? new double[0][] : Arrays.copyOf(inputs, n), List.copyOf(skipped));
    }

    private static double value(Path file, int lineNumber, String what, String text, boolean finiteOnly) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, lineNumber, what + " '" + text + "' is not a number");
        }
        if (finiteOnly && !Double.isFinite(value)) {
            throw new DataFormatException(file, lineNumber, what + " '" + text + "' is not finite");
        }
        return value;
    }
}
