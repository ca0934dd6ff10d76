package io.vigil.replay.source;

import io.vigil.datasets.CsvFields;
import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.LabelLines;
import io.vigil.datasets.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ground truth for plain CSV replays ({@code --labels FILE}): a CSV file with the header
 * {@code channel,start,end} or {@code channel,start,end,kind}, one window per row, times as
 * {@link Timestamps} reads them, both ends inclusive. Blank lines and lines starting with {@code #} are
 * ignored.
 *
 * <p>A row naming a channel that is not being replayed is an error rather than ignored: a typo there
 * would otherwise silently leave a channel without its ground truth.
 */
public final class LabelFile {

    /** Kind given to rows without a fourth column. */
    public static final String DEFAULT_KIND = "label";

    private LabelFile() {
    }

    /** Windows by channel id; every channel named must be in {@code knownChannels}. */
    public static Map<String, List<TimeWindow>> load(Path file, Set<String> knownChannels) throws IOException {
        Map<String, List<TimeWindow>> windows = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            String header;
            do {
                header = in.readLine();
                if (header != null && lineNo == 0 && header.startsWith("\uFEFF")) {
                    header = header.substring(1);
                }
                lineNo++;
            } while (header != null && LabelLines.isSkipped(header));
            List<String> columns = header == null ? List.of()
                    : CsvFields.split(file, lineNo, header.toLowerCase(java.util.Locale.ROOT));
            if (!(columns.equals(List.of("channel", "start", "end")) || columns.equals(List.of("channel", "start", "end", "kind")))) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected the header 'channel,start,end[,kind]', found '"
                        + header + "'");
            }
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (LabelLines.isSkipped(line)) {
                    continue;
                }
                String where = file + ":" + lineNo + ": ";
                List<String> fields = CsvFields.split(file, lineNo, line);
                if (fields.size() < 3 || fields.size() > 4) {
                    throw new IllegalArgumentException(where + "expected 'channel,start,end[,kind]', found '" + line + "'");
                }
                String channel = fields.get(0);
                if (!knownChannels.contains(channel)) {
                    throw new IllegalArgumentException(where + "channel '" + channel + "' is not being replayed (replayed: "
                            + new TreeSet<>(knownChannels) + ")");
                }
                long start = time(where, "start", fields.get(1));
                long end = time(where, "end", fields.get(2));
                if (end < start) {
                    throw new IllegalArgumentException(where + "end " + fields.get(2) + " is before start " + fields.get(1));
                }
                String kind = fields.size() == 4 && !fields.get(3).isEmpty() ? fields.get(3) : DEFAULT_KIND;
                windows.computeIfAbsent(channel, c -> new ArrayList<>()).add(new TimeWindow(start, end, kind));
            }
        }
        return windows;
    }

    private static long time(String where, String column, String text) {
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + column + ": " + e.getMessage());
        }
    }
}
