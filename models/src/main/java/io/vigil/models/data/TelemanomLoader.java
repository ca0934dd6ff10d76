package io.vigil.models.data;

import io.vigil.datasets.CsvFields;
import io.vigil.datasets.DataFormatException;
import io.vigil.datasets.Npy;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telemanom's layout (SMAP/MSL): {@code <root>/train/<chan>.npy} (nominal), {@code <root>/test/<chan>.npy}
 * and {@code <root>/labeled_anomalies.csv} with the columns
 * {@code chan_id,spacecraft,anomaly_sequences,class,num_values}, e.g.
 * {@code P-1,SMAP,"[[2149, 2349], [4536, 4844]]","[contextual, contextual]",8505}.
 *
 * <p>Column 0 of each array is the value. {@code anomaly_sequences} are 0-based inclusive index ranges
 * into the test series, and {@code num_values} must equal the test series' length (otherwise the labels
 * would point at the wrong values). The channels are the rows of the labels file; the source is
 * {@code telemanom/<spacecraft>}, the label kind the row's class.
 */
public final class TelemanomLoader {

    public static final String LABELS = "labeled_anomalies.csv";
    private static final List<String> HEADER = List.of("chan_id", "spacecraft", "anomaly_sequences", "class", "num_values");
    private static final Pattern SEQUENCES = Pattern.compile(
            "\\[\\s*(\\[\\s*\\d+\\s*,\\s*\\d+\\s*\\]\\s*(,\\s*\\[\\s*\\d+\\s*,\\s*\\d+\\s*\\]\\s*)*)?\\]");
    private static final Pattern PAIR = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");

    /** One row of the labels file. */
    record Row(String channel, String spacecraft, List<LabelRange> labels, int numValues, int line) {}

    private TelemanomLoader() {}

    public static List<ChannelData> load(Path root, Predicate<String> select) {
        Path labelsFile = root.resolve(LABELS);
        if (!Files.isRegularFile(labelsFile)) {
            throw new DataFormatException(root, "not a Telemanom root: no " + LABELS);
        }
        List<ChannelData> channels = new ArrayList<>();
        for (Row row : readLabels(labelsFile).values()) {
            if (!select.test(row.channel())) {
                continue;
            }
            Path trainFile = root.resolve("train").resolve(row.channel() + ".npy");
            Path testFile = root.resolve("test").resolve(row.channel() + ".npy");
            Npy.Column train = finite(trainFile, Npy.readFirstColumn(trainFile));
            Npy.Column test = finite(testFile, Npy.readFirstColumn(testFile));
            if (test.rows() != row.numValues()) {
                throw new DataFormatException(testFile, "has " + test.rows() + " rows but " + LABELS + " line "
                        + row.line() + " says num_values " + row.numValues() + "; its labels would point at the wrong values");
            }
            if (train.rows() == 0) {
                throw new DataFormatException(trainFile, "has no rows");
            }
            channels.add(new ChannelData(row.channel(), "telemanom/" + row.spacecraft(), train.values(), test.values(),
                    null, null, row.labels(), List.of()));
        }
        return channels;
    }

    /** A model cannot learn from NaN or infinity, and a label index past one would be off. */
    private static Npy.Column finite(Path file, Npy.Column column) {
        double[] values = column.values();
        for (int r = 0; r < values.length; r++) {
            if (!Double.isFinite(values[r])) {
                throw new DataFormatException(file, "row " + r + " (0-based), column 0 is " + values[r]
                        + "; values must be finite");
            }
        }
        return column;
    }

    /** The rows of {@code labeled_anomalies.csv} by channel, in file order. */
    static Map<String, Row> readLabels(Path file) {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = CsvFields.withoutBom(in.readLine());
            if (header == null || !CsvFields.split(file, 1, header).equals(HEADER)) {
                throw new DataFormatException(file, 1, "expected the header '" + String.join(",", HEADER) + "', found '"
                        + header + "'");
            }
            int lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Row row = parseRow(file, lineNumber, CsvFields.split(file, lineNumber, line));
                Row earlier = rows.putIfAbsent(row.channel(), row);
                if (earlier != null) {
                    throw new DataFormatException(file, lineNumber, "channel " + row.channel() + " already on line "
                            + earlier.line());
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return rows;
    }

    private static Row parseRow(Path file, int line, List<String> f) {
        if (f.size() != HEADER.size()) {
            throw new DataFormatException(file, line, "expected " + HEADER.size() + " fields (" + String.join(",", HEADER)
                    + "), found " + f.size() + " (quote anomaly_sequences and class: they contain commas)");
        }
        String channel = f.get(0);
        if (channel.isEmpty()) {
            throw new DataFormatException(file, line, "empty chan_id");
        }
        int numValues;
        try {
            numValues = Integer.parseInt(f.get(4));
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "num_values '" + f.get(4) + "' is not an integer");
        }
        String sequences = f.get(2);
        if (!SEQUENCES.matcher(sequences).matches()) {
            throw new DataFormatException(file, line, "anomaly_sequences '" + sequences
                    + "' is not a list of [first, last] index pairs");
        }
        List<String> classes = classes(file, line, f.get(3));
        List<LabelRange> labels = new ArrayList<>();
        Matcher m = PAIR.matcher(sequences);
        while (m.find()) {
            int first;
            int last;
            try {
                first = Integer.parseInt(m.group(1));
                last = Integer.parseInt(m.group(2));
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, line, "index out of range in " + m.group());
            }
            if (last < first || last >= numValues) {
                throw new DataFormatException(file, line, "sequence " + m.group() + " is not inside 0.." + (numValues - 1)
                        + " with first <= last");
            }
            int i = labels.size();
            labels.add(new LabelRange(first, last, classes.size() > i ? classes.get(i) : ""));
        }
        if (!classes.isEmpty() && classes.size() != labels.size()) {
            throw new DataFormatException(file, line, labels.size() + " anomaly sequences but " + classes.size() + " classes");
        }
        labels.sort(java.util.Comparator.comparingInt(LabelRange::first));
        return new Row(channel, f.get(1), labels, numValues, line);
    }

    private static List<String> classes(Path file, int line, String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return List.of();
        }
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new DataFormatException(file, line, "class '" + text + "' is not a list like [point, contextual]");
        }
        String inner = t.substring(1, t.length() - 1).strip();
        if (inner.isEmpty()) {
            return List.of();
        }
        List<String> classes = new ArrayList<>();
        for (String c : inner.split(",")) {
            classes.add(c.strip().replace("'", ""));
        }
        return classes;
    }
}
