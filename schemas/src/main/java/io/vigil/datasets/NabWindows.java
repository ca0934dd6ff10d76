package io.vigil.datasets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAB's {@code labels/combined_windows.json}: {@code {"<category>/<name>.csv": [[start, end], ...]}},
 * read by the trainer and the replay producer alike. Read with a streaming parser so every complaint
 * (a {@link DataFormatException}) names the line it is about.
 */
public final class NabWindows {

    /** Where the windows file lives under a NAB root. */
    public static final String FILE = "labels/combined_windows.json";
    /** The kind every NAB window carries. */
    public static final String KIND = "nab-window";

    /** The windows of one data file, and the line its key is on (for errors found later). */
    public record Entry(int line, List<TimeWindow> windows) {}

    private static final JsonFactory JSON = new JsonFactory();

    private NabWindows() {}

    /** Entries by key ({@code <category>/<name>.csv}), in file order. */
    public static Map<String, Entry> read(Path file) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            expect(p, file, p.nextToken(), JsonToken.START_OBJECT, "an object of file names (\"<category>/<name>.csv\": "
                    + "[[start, end], ...])");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int line = line(p);
                if (entries.containsKey(key)) {
                    throw new DataFormatException(file, line, "'" + key + "' appears twice (first on line "
                            + entries.get(key).line() + ")");
                }
                expect(p, file, p.nextToken(), JsonToken.START_ARRAY, "a list of [start, end] windows for '" + key + "'");
                List<TimeWindow> windows = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    int windowLine = line(p);
                    long start = time(p, file, key);
                    long end = time(p, file, key);
                    expect(p, file, p.nextToken(), JsonToken.END_ARRAY, "a window of exactly two timestamps in '" + key + "'");
                    try {
                        windows.add(new TimeWindow(start, end, KIND));
                    } catch (IllegalArgumentException e) {
                        throw new DataFormatException(file, windowLine, "'" + key + "': " + e.getMessage());
                    }
                }
                expect(p, file, p.currentToken(), JsonToken.END_ARRAY, "a window [start, end] or the end of the list");
                entries.put(key, new Entry(line, List.copyOf(windows)));
            }
            expect(p, file, p.currentToken(), JsonToken.END_OBJECT, "a file name or the end of the object");
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return entries;
    }

    private static long time(JsonParser p, Path file, String key) throws IOException {
        expect(p, file, p.nextToken(), JsonToken.VALUE_STRING, "a timestamp string in '" + key + "'");
        try {
            return Timestamps.parse(p.getText());
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, line(p), e.getMessage() + " (a window of '" + key + "')");
        }
    }

    private static void expect(JsonParser p, Path file, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new DataFormatException(file, line(p), "expected " + what + ", found "
                    + (actual == null ? "the end of the file" : actual.asString() != null ? "'" + actual.asString() + "'" : actual));
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
