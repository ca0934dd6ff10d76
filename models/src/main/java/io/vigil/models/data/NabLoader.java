package io.vigil.models.data;

import io.vigil.datasets.DataFormatException;
import io.vigil.datasets.NabWindows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

    private NabLoader() {}

    /**
     * Loads the channels {@code select} accepts; it is asked with the channel id and with
     * {@code <category>/<name>}.
     */
    public static List<ChannelData> load(Path root, double trainFraction, Predicate<String> select) {
        Path dataDir = root.resolve("data");
        Path labelsFile = root.resolve(NabWindows.FILE);
        if (!Files.isDirectory(dataDir)) {
            throw new DataFormatException(root, "not a NAB root: no data/ directory");
        }
        if (!Files.isRegularFile(labelsFile)) {
            throw new DataFormatException(root, "not a NAB root: no " + NabWindows.FILE);
        }
        Map<String, NabWindows.Entry> windows = NabWindows.read(labelsFile);
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
            NabWindows.Entry entry = windows.get(key);
            if (entry == null) {
                throw new DataFormatException(labelsFile, "no entry for \"" + key + "\" ([] means no anomalies)");
            }
            channels.add(NominalSplit.split(channel, "nab/" + category, TimedSeries.read(file), entry.windows(),
                    trainFraction));
        }
        return channels;
    }
}
