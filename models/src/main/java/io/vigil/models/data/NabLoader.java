package io.vigil.models.data;

import io.vigil.datasets.DataFormatException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.datasets.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The Numenta Anomaly Benchmark's layout: {@code <root>/data/<category>/<name>.csv} series
 * ({@code timestamp,value}) and {@code <root>/labels/combined_windows.json}, which maps
 * {@code "<category>/<name>.csv"} to {@code [[start, end], ...]} windows.
 *
 * <p>NAB has no training split: {@link NominalSplit} uses the first {@code trainFraction} (15 % by
 * default, NAB's probationary period) as the nominal training part. The channel id is the file name
 * without {@code .csv} (NAB's names are unique; the replay producer names channels the same way), the
 * source {@code nab/<category>}. Every selected data file must have a key in the labels file ({@code []}
 * says "no anomalies"; a missing key means a wrong or partial root).
 */
public final class NabLoader {

    public static final String LABELS = "labels/combined_windows.json";

    private NabLoader() {}

    /**
     * Loads the channels {@code select} accepts; it is asked with the channel id and with
     * {@code <category>/<name>}.
     */
    public static List<ChannelData> load(Path root, double trainFraction, Predicate<String> select) {
        Path dataDir = root.resolve("data");
        Path labelsFile = root.resolve(LABELS);
        if (!Files.isDirectory(dataDir)) {
            throw new DataFormatException(root, "not a NAB root: no data/ directory");
        }
        if (!Files.isRegularFile(labelsFile)) {
            throw new DataFormatException(root, "not a NAB root: no " + LABELS);
        }
        Map<String, List<TimeWindow>> windows = readWindows(labelsFile);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir, 2)) {
            files = walk.filter(p -> p.getNameCount() == dataDir.getNameCount() + 2)
                    .filter(p -> p.getFileName().toString().endsWith(".csv") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DataFormatException(dataDir, "cannot list: " + e.getMessage(), e);
        }
        Map<String, Path> byChannel = new HashMap<>();
        List<ChannelData> channels = new ArrayList<>();
        for (Path file : files) {
            String category = file.getParent().getFileName().toString();
            String name = file.getFileName().toString();
            String channel = name.substring(0, name.length() - ".csv".length());
            String key = category + "/" + name;
            if (!select.test(channel) && !select.test(category + "/" + channel)) {
                continue;
            }
            Path other = byChannel.putIfAbsent(channel, file);
            if (other != null) {
                throw new DataFormatException(file, "channel '" + channel + "' is also " + other
                        + "; channel ids (file names) must be unique");
            }
            List<TimeWindow> channelWindows = windows.get(key);
            if (channelWindows == null) {
                throw new DataFormatException(labelsFile, "no entry for \"" + key + "\" ([] means no anomalies)");
            }
            channels.add(NominalSplit.split(channel, "nab/" + category, TimedSeries.read(file), channelWindows,
                    trainFraction));
        }
        return channels;
    }

    /** {@code combined_windows.json} as windows by {@code <category>/<name>.csv}, in file order. */
    static Map<String, List<TimeWindow>> readWindows(Path file) {
        Map<String, List<TimeWindow>> windows = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "an object of \"<category>/<name>.csv\": [[start, end], ...]");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                List<TimeWindow> list = new ArrayList<>();
                expect(file, p, p.nextToken(), JsonToken.START_ARRAY, "a list of [start, end] windows for \"" + key + "\"");
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    int line = p.currentLocation().getLineNr();
                    String start = text(file, p, key);
                    String end = text(file, p, key);
                    expect(file, p, p.nextToken(), JsonToken.END_ARRAY, "a window of exactly two timestamps in \"" + key + "\"");
                    try {
                        list.add(new TimeWindow(Timestamps.parse(start), Timestamps.parse(end), ""));
                    } catch (IllegalArgumentException e) {
                        throw new DataFormatException(file, line, "\"" + key + "\": " + e.getMessage());
                    }
                }
                expect(file, p, p.currentToken(), JsonToken.END_ARRAY, "a [start, end] window in \"" + key + "\"");
                if (windows.put(key, List.copyOf(list)) != null) {
                    throw new DataFormatException(file, p.currentLocation().getLineNr(), "\"" + key + "\" appears twice");
                }
            }
            expect(file, p, p.currentToken(), JsonToken.END_OBJECT, "a \"<category>/<name>.csv\" key");
        } catch (JsonParseException e) {
            throw new DataFormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return windows;
    }

    private static String text(Path file, JsonParser p, String key) throws IOException {
        expect(file, p, p.nextToken(), JsonToken.VALUE_STRING, "a timestamp string in \"" + key + "\"");
        return p.getText();
    }

    private static void expect(Path file, JsonParser p, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new DataFormatException(file, p.currentLocation().getLineNr(), "expected " + what + ", found "
                    + (actual == null ? "the end of the file" : actual.asString() != null ? "'" + actual.asString() + "'" : actual));
        }
    }
}
