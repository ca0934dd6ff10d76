package io.vigil.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ground truth for plain CSV series, read alike by the trainer and the replay producer: a CSV file with
 * the header {@code channel,start,end} or {@code channel,start,end,kind} (then a row may leave the kind
 * out), one window per row, times as
 * {@link Timestamps} reads them, both ends inclusive. Blank lines and {@code #} comments are skipped
 * ({@link LabelLines}). Every problem is a {@link DataFormatException} naming the file and line.
 *
 * <p>A row naming a channel without a series is an error rather than ignored: a typo there would
 * otherwise silently leave a channel without its ground truth.
 */
public final class LabelWindows {

    /** Kind given to rows without a fourth column, or with an empty one. */
    public static final String DEFAULT_KIND = "label";

    private static final List<String> SHORT = List.of("channel", "start", "end");
    private static final List<String> LONG = List.of("channel", "start", "end", "kind");

    private LabelWindows() {}

    /** Windows by channel, channels and windows in file order; every channel must be in {@code channels}. */
    public static Map<String, List<TimeWindow>> read(Path file, Set<String> channels) {
        Map<String, List<TimeWindow>> windows = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            String header;
            do {
                header = CsvFields.withoutBom(in.readLine());
                lineNumber++;
            } while (header != null && LabelLines.isSkipped(header));
            List<String> names = header == null ? List.of()
                    : CsvFields.split(file, lineNumber, header.toLowerCase(Locale.ROOT));
            if (!names.equals(SHORT) && !names.equals(LONG)) {
                throw new DataFormatException(file, lineNumber, "expected the header 'channel,start,end' or"
                        + " 'channel,start,end,kind', found " + (header == null ? "an empty file" : "'" + header + "'"));
            }
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (LabelLines.isSkipped(line)) {
                    continue;
                }
                List<String> f = CsvFields.split(file, lineNumber, line);
                if (f.size() < SHORT.size() || f.size() > names.size()) { // under a kind column, a row may leave it out
                    throw new DataFormatException(file, lineNumber, "expected " + (names.size() == SHORT.size()
                            ? "3 fields (channel,start,end)" : "3 or 4 fields (channel,start,end[,kind])") + ", found "
                            + f.size() + ": '" + line + "'");
                }
                String channel = f.get(0);
                if (!channels.contains(channel)) {
                    throw new DataFormatException(file, lineNumber, "channel '" + channel + "' is not one of the series'"
                            + " channels (" + abbreviate(channels) + ")");
                }
                long start = time(file, lineNumber, "start", f.get(1));
                long end = time(file, lineNumber, "end", f.get(2));
                String kind = f.size() > 3 && !f.get(3).isEmpty() ? f.get(3) : DEFAULT_KIND;
                try {
                    windows.computeIfAbsent(channel, c -> new ArrayList<>()).add(new TimeWindow(start, end, kind));
                } catch (IllegalArgumentException e) {
                    throw new DataFormatException(file, lineNumber, e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return windows;
    }

    private static long time(Path file, int line, String column, String text) {
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, line, column + ": " + e.getMessage());
        }
    }

    private static String abbreviate(Set<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        return sorted.size() <= 5 ? String.join(", ", sorted) : String.join(", ", sorted.subList(0, 5)) + ", ...";
    }
}
