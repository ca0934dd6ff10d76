package io.vigil.replay.source;

import io.vigil.datasets.CsvFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telemanom's {@code labeled_anomalies.csv}: columns {@code chan_id,spacecraft,anomaly_sequences,class,
 * num_values} (found by name; {@code class} optional), where {@code anomaly_sequences} is like
 * {@code "[[1899, 2099], [2200, 2300]]"}: inclusive, 0-based index ranges into the channel's test series.
 * {@code class} ({@code "[point, contextual]"}) names each sequence's kind and must list one per
 * sequence when present. A channel listed twice is an error naming both lines.
 */
final class TelemanomLabels {

    /** One row: a channel's labeled index ranges ({@code [first, last]} pairs) and the test series' length. */
    record Row(int line, String channel, String spacecraft, List<long[]> sequences, List<String> kinds, int numValues) {}

    private static final Pattern PAIR = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");
    private static final Pattern SEQUENCES = Pattern.compile(
            "\\[\\s*(" + PAIR.pattern() + "\\s*(,\\s*" + PAIR.pattern() + "\\s*)*)?\\]");
    private static final List<String> REQUIRED = List.of("chan_id", "spacecraft", "anomaly_sequences", "num_values");

    private TelemanomLabels() {
    }

    /** Rows by channel id, in file order. */
    static Map<String, Row> read(Path file) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            List<String> header = headerLine == null ? List.of() : CsvFields.split(file, 1, headerLine.toLowerCase(Locale.ROOT));
            for (String column : REQUIRED) {
                if (!header.contains(column)) {
                    throw new IllegalArgumentException(file + ":1: missing column '" + column + "' (expected "
                            + "chan_id,spacecraft,anomaly_sequences,class,num_values), found '" + headerLine + "'");
                }
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Row row = row(file + ":" + lineNo + ": ", lineNo, header, CsvFields.split(file, lineNo, line), line);
                Row previous = rows.putIfAbsent(row.channel(), row);
                if (previous != null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": channel '" + row.channel()
                            + "' is already listed on line " + previous.line());
                }
            }
        }
        return rows;
    }

    private static Row row(String where, int lineNo, List<String> header, List<String> fields, String line) {
        if (fields.size() != header.size()) {
            throw new IllegalArgumentException(where + "expected " + header.size() + " fields, found " + fields.size()
                    + " in '" + line + "'");
        }
        String channel = fields.get(header.indexOf("chan_id"));
        if (channel.isEmpty()) {
            throw new IllegalArgumentException(where + "empty chan_id");
        }
        int numValues;
        try {
            numValues = Integer.parseInt(fields.get(header.indexOf("num_values")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "num_values is not an integer: '" + fields.get(header.indexOf("num_values")) + "'");
        }
        List<long[]> sequences = sequences(where, fields.get(header.indexOf("anomaly_sequences")), numValues);
        List<String> kinds = kinds(where, header.contains("class") ? fields.get(header.indexOf("class")) : null, sequences.size());
        return new Row(lineNo, channel, fields.get(header.indexOf("spacecraft")), sequences, kinds, numValues);
    }

    private static List<long[]> sequences(String where, String text, int numValues) {
        if (!SEQUENCES.matcher(text.trim()).matches()) {
            throw new IllegalArgumentException(where + "anomaly_sequences is not a list of [first, last] index pairs: '" + text + "'");
        }
        List<long[]> sequences = new ArrayList<>();
        Matcher m = PAIR.matcher(text);
        while (m.find()) {
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (last < first) {
                throw new IllegalArgumentException(where + "sequence [" + first + ", " + last + "] ends before it starts");
            }
            if (last >= numValues) {
                throw new IllegalArgumentException(where + "sequence [" + first + ", " + last + "] reaches past num_values " + numValues);
            }
            sequences.add(new long[] {first, last});
        }
        return sequences;
    }

    private static List<String> kinds(String where, String text, int count) {
        if (text == null || text.isBlank()) {
            return java.util.Collections.nCopies(count, "anomaly");
        }
        String inner = text.trim();
        if (!inner.startsWith("[") || !inner.endsWith("]")) {
            throw new IllegalArgumentException(where + "class is not a list like [point, contextual]: '" + text + "'");
        }
        List<String> kinds = new ArrayList<>();
        for (String kind : inner.substring(1, inner.length() - 1).split(",")) {
            if (!kind.isBlank()) {
                kinds.add(kind.trim().replace("'", ""));
            }
        }
        if (kinds.size() != count) {
            throw new IllegalArgumentException(where + "class lists " + kinds.size() + " kind(s) for " + count + " sequence(s)");
        }
        return kinds;
    }
}
