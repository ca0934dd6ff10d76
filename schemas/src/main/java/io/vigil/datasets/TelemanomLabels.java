package io.vigil.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telemanom's {@code labeled_anomalies.csv}, read alike by the trainer and the replay producer: columns
 * {@code chan_id,spacecraft,anomaly_sequences,class,num_values} found by name ({@code class} optional),
 * e.g. {@code P-1,SMAP,"[[2149, 2349], [4536, 4844]]","[contextual, contextual]",8505}.
 * {@code anomaly_sequences} are inclusive, 0-based index ranges into the channel's test series, which
 * has {@code num_values} values; {@code class} names each sequence's kind and lists one per sequence
 * when given ({@link #DEFAULT_KIND} otherwise). A channel listed twice is an error naming both lines;
 * every error is a {@link DataFormatException} naming the file and line.
 */
public final class TelemanomLabels {

    /** Where the labels file lives under a Telemanom root. */
    public static final String FILE = "labeled_anomalies.csv";
    /** The kind of a sequence whose row has no {@code class}. */
    public static final String DEFAULT_KIND = "anomaly";

    /** A labeled index range {@code [first, last]} of the test series, both inclusive. */
    public record Sequence(int first, int last, String kind) {}

    /** One row: the channel's labeled sequences, sorted by first index, and its test series' length. */
    public record Row(int line, String channel, String spacecraft, List<Sequence> sequences, int numValues) {}

    private static final List<String> COLUMNS = List.of("chan_id", "spacecraft", "anomaly_sequences", "class", "num_values");
    private static final List<String> REQUIRED = List.of("chan_id", "spacecraft", "anomaly_sequences", "num_values");
    private static final Pattern PAIR = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");
    private static final Pattern SEQUENCES = Pattern.compile(
            "\\[\\s*(" + PAIR.pattern() + "\\s*(,\\s*" + PAIR.pattern() + "\\s*)*)?\\]");

    private TelemanomLabels() {}

    /** Rows by channel id, in file order. */
    public static Map<String, Row> read(Path file) {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = CsvFields.withoutBom(in.readLine());
            List<String> header = headerLine == null ? List.of()
                    : CsvFields.split(file, 1, headerLine.toLowerCase(Locale.ROOT));
            for (String column : REQUIRED) {
                if (!header.contains(column)) {
                    throw new DataFormatException(file, 1, "missing column '" + column + "' (expected "
                            + String.join(",", COLUMNS) + "), found '" + headerLine + "'");
                }
            }
            int lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Row row = row(file, lineNumber, header, CsvFields.split(file, lineNumber, line));
                Row earlier = rows.putIfAbsent(row.channel(), row);
                if (earlier != null) {
                    throw new DataFormatException(file, lineNumber, "channel '" + row.channel()
                            + "' is already listed on line " + earlier.line());
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return rows;
    }

    private static Row row(Path file, int line, List<String> header, List<String> fields) {
        if (fields.size() != header.size()) {
            throw new DataFormatException(file, line, "expected " + header.size() + " fields (" + String.join(",", header)
                    + "), found " + fields.size() + " (quote anomaly_sequences and class: they contain commas)");
        }
        String channel = fields.get(header.indexOf("chan_id"));
        if (channel.isEmpty()) {
            throw new DataFormatException(file, line, "empty chan_id");
        }
        String count = fields.get(header.indexOf("num_values"));
        int numValues;
        try {
            numValues = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "num_values '" + count + "' is not an integer");
        }
        List<int[]> ranges = ranges(file, line, fields.get(header.indexOf("anomaly_sequences")), numValues);
        List<String> kinds = kinds(file, line, header.contains("class") ? fields.get(header.indexOf("class")) : "",
                ranges.size());
        List<Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            sequences.add(new Sequence(ranges.get(i)[0], ranges.get(i)[1], kinds.get(i)));
        }
        sequences.sort(Comparator.comparingInt(Sequence::first));
        return new Row(line, channel, fields.get(header.indexOf("spacecraft")), List.copyOf(sequences), numValues);
    }

    private static List<int[]> ranges(Path file, int line, String text, int numValues) {
        if (!SEQUENCES.matcher(text.strip()).matches()) {
            throw new DataFormatException(file, line, "anomaly_sequences is not a list of [first, last] index pairs: '"
                    + text + "'");
        }
        List<int[]> ranges = new ArrayList<>();
        Matcher m = PAIR.matcher(text);
        while (m.find()) {
            int first;
            int last;
            try {
                first = Integer.parseInt(m.group(1));
                last = Integer.parseInt(m.group(2));
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, line, "index out of range in " + m.group());
            }
            if (last < first) {
                throw new DataFormatException(file, line, "sequence " + m.group() + " ends before it starts (first <= last)");
            }
            if (last >= numValues) {
                throw new DataFormatException(file, line, "sequence " + m.group() + " reaches past num_values " + numValues
                        + " (indices are inside 0.." + (numValues - 1) + ")");
            }
            ranges.add(new int[] {first, last});
        }
        return ranges;
    }

    private static List<String> kinds(Path file, int line, String text, int count) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Collections.nCopies(count, DEFAULT_KIND);
        }
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new DataFormatException(file, line, "class is not a list like [point, contextual]: '" + text + "'");
        }
        List<String> kinds = new ArrayList<>();
        for (String kind : t.substring(1, t.length() - 1).split(",")) {
            if (!kind.isBlank()) {
                kinds.add(kind.strip().replace("'", ""));
            }
        }
        if (kinds.size() != count) {
            throw new DataFormatException(file, line, "class lists " + kinds.size() + " kind(s) for " + count
                    + " sequence(s)");
        }
        return kinds;
    }
}
