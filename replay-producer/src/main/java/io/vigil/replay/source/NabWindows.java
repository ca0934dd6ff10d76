package io.vigil.replay.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.datasets.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAB's {@code labels/combined_windows.json}: {@code {"<category>/<name>.csv": [[start, end], ...]}}.
 * Read with a streaming parser so every complaint can name the line it is about.
 */
final class NabWindows {

    /** The windows of one data file, and the line its key is on (for errors found later). */
    record Entry(int line, List<LabelWindow> windows) {}

    static final String KIND = "nab-window";

    private static final JsonFactory JSON = new JsonFactory();

    private NabWindows() {
    }

    /** Entries by key ({@code <category>/<name>.csv}), in file order. */
    static Map<String, Entry> read(Path file) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            expect(p, file, p.nextToken(), JsonToken.START_OBJECT, "an object of file names");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int line = line(p);
                if (entries.containsKey(key)) {
                    throw new IllegalArgumentException(file + ":" + line + ": '" + key + "' appears twice (first on line "
                            + entries.get(key).line() + ")");
                }
                expect(p, file, p.nextToken(), JsonToken.START_ARRAY, "a list of [start, end] windows for '" + key + "'");
                List<LabelWindow> windows = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    long start = time(p, file, key);
                    long end = time(p, file, key);
                    int windowLine = line(p);
                    expect(p, file, p.nextToken(), JsonToken.END_ARRAY, "a window of exactly two timestamps");
                    if (end < start) {
                        throw new IllegalArgumentException(file + ":" + windowLine + ": window of '" + key + "' ends before it starts");
                    }
                    windows.add(new LabelWindow(start, end, KIND));
                }
                expect(p, file, p.currentToken(), JsonToken.END_ARRAY, "a window [start, end] or the end of the list");
                entries.put(key, new Entry(line, List.copyOf(windows)));
            }
            expect(p, file, p.currentToken(), JsonToken.END_OBJECT, "a file name or the end of the object");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ":" + e.getLocation().getLineNr() + ": not valid JSON: "
                    + e.getOriginalMessage());
        }
        return entries;
    }

    private static long time(JsonParser p, Path file, String key) throws IOException {
        JsonToken token = p.nextToken();
        expect(p, file, token, JsonToken.VALUE_STRING, "a timestamp string in a window of '" + key + "'");
        try {
            return Timestamps.parse(p.getText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":" + line(p) + ": " + e.getMessage());
        }
    }

    private static void expect(JsonParser p, Path file, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException(file + ":" + line(p) + ": expected " + what + ", found "
                    + (actual == null ? "the end of the file" : actual.asString() != null ? "'" + actual.asString() + "'" : actual));
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
