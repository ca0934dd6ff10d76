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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Telemanom's {@code labeled_anomalies.csv}, read alike by the trainer and the replay producer: columns
 * {@code chan_id,spacecraft,anomaly_sequences,class,num_values} found by name ({@code class} optional),
 * e.g. {@code P-1,SMAP,"[[2149, 2349], [4536, 4844]]","[contextual, contextual]",8505}.
 * {@code anomaly_sequences} are inclusive, 0-based index ranges into the channel's test series, which
 * has {@code num_values} values; {@code class} names each sequence's kind and lists one per sequence
 * when given ({@link #DEFAULT_KIND} otherwise). Every error is a {@link DataFormatException} naming the
 * file and line.
 *
 * <p>A channel listed more than once is one channel: the file NASA publishes with SMAP/MSL lists P-2
 * twice, with overlapping sequences, and a reader that refused it could not read the real data. Its rows
 * become one {@link Row} whose sequences are the union of theirs, overlapping or adjacent ones merged
 * into one (the kinds of a merged sequence joined with {@code /} when they differ), and a note in
 * {@link #notes()} says so, for the caller to print. The rows must agree on {@code num_values} and
 * {@code spacecraft}: a channel has one test series, and rows that disagree say nothing about which one
 * the sequences index, so that is an error naming both lines.
 *
 * @param file the file read
 * @param rows rows by channel id, in the order each channel is first listed
 * @param notes by channel id, for each repeated channel: one sentence for the operator naming its
 *     lines, in the order of {@code rows}
 */
public record TelemanomLabels(Path file, Map<String, Row> rows, Map<String, String> notes) {

    /** Where the labels file lives under a Telemanom root. */
    public static final String FILE = "labeled_anomalies.csv";
    /** The kind of a sequence whose row has no {@code class}. */
    public static final String DEFAULT_KIND = "anomaly";

    /** A labeled index range {@code [first, last]} of the test series, both inclusive. */
    public record Sequence(int first, int last, String kind) {}

    /**
     * One channel: its labeled sequences, sorted by first index, and its test series' length.
     *
     * @param lines the 1-based lines listing the channel, more than one for a repeated channel
     */
    public record Row(List<Integer> lines, String channel, String spacecraft, List<Sequence> sequences, int numValues) {

        public Row {
            lines = List.copyOf(lines);
            sequences = List.copyOf(sequences);
        }

        /** The first line listing the channel. */
        public int line() {
            return lines.get(0);
        }
    }

    private static final List<String> COLUMNS = List.of("chan_id", "spacecraft", "anomaly_sequences", "class", "num_values");
    private static final List<String> REQUIRED = List.of("chan_id", "spacecraft", "anomaly_sequences", "num_values");
    private static final Pattern PAIR = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");
    private static final Pattern SEQUENCES = Pattern.compile(
            "\\[\\s*(" + PAIR.pattern() + "\\s*(,\\s*" + PAIR.pattern() + "\\s*)*)?\\]");

    public TelemanomLabels {
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }

    /** Reads {@code file}. */
    public static TelemanomLabels read(Path file) {
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, Integer> listed = new HashMap<>(); // sequences as listed, before merging
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
                rows.merge(row.channel(), row, (earlier, again) -> merged(file, earlier, again));
                listed.merge(row.channel(), row.sequences().size(), Integer::sum);
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        Map<String, String> notes = new LinkedHashMap<>();
        for (Row row : rows.values()) {
            if (row.lines().size() > 1) {
                notes.put(row.channel(), file + ": " + row.channel() + " listed " + row.lines().size() + " times (lines "
                        + row.lines().stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + "): sequences merged (" + listed.get(row.channel()) + " listed, " + row.sequences().size()
                        + " after joining overlapping or adjacent ones)");
            }
        }
        return new TelemanomLabels(file, rows, notes);
    }

    /**
     * {@code earlier} (the channel's rows so far) and {@code again} (its next row) as one row: the union
     * of their sequences with overlapping or adjacent ones merged.
     */
    private static Row merged(Path file, Row earlier, Row again) {
        if (again.numValues() != earlier.numValues()) {
            throw new DataFormatException(file, again.line(), "channel '" + again.channel() + "' has num_values "
                    + again.numValues() + " here but " + earlier.numValues() + " on line " + earlier.line()
                    + "; a channel has one test series, so its rows must agree");
        }
        if (!again.spacecraft().equals(earlier.spacecraft())) {
            throw new DataFormatException(file, again.line(), "channel '" + again.channel() + "' is of spacecraft '"
                    + again.spacecraft() + "' here but '" + earlier.spacecraft() + "' on line " + earlier.line());
        }
        List<Sequence> all = new ArrayList<>(earlier.sequences());
        all.addAll(again.sequences());
        all.sort(Comparator.comparingInt(Sequence::first).thenComparingInt(Sequence::last));
        List<Sequence> union = new ArrayList<>();
        for (Sequence q : all) {
            Sequence last = union.isEmpty() ? null : union.get(union.size() - 1);
            // Adjacent counts as overlapping: [1, 4] and [5, 9] label the same run of values, [1, 9].
            if (last != null && (long) q.first() <= (long) last.last() + 1) {
                union.set(union.size() - 1, new Sequence(last.first(), Math.max(last.last(), q.last()),
                        kinds(last.kind(), q.kind())));
            } else {
                union.add(q);
            }
        }
        List<Integer> lines = new ArrayList<>(earlier.lines());
        lines.addAll(again.lines());
        return new Row(lines, earlier.channel(), earlier.spacecraft(), union, earlier.numValues());
    }

    /** The kind of a merged sequence: each distinct kind once, in order. */
    private static String kinds(String a, String b) {
        List<String> kinds = new ArrayList<>(List.of(a.split("/")));
        for (String k : b.split("/")) {
            if (!kinds.contains(k)) {
                kinds.add(k);
            }
        }
        return String.join("/", kinds);
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
        return new Row(List.of(line), channel, fields.get(header.indexOf("spacecraft")), sequences, numValues);
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
