package io.vigil.models.data;

import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.DataFormatException;
import io.vigil.datasets.LabelWindows;
import io.vigil.datasets.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The plain layout: one {@code timestamp,value} CSV file per channel (columns after the value are its
 * input features, named in the header, which the channel's model takes beside the value; a single file, or every
 * {@code *.csv} directly in a directory), the channel id being the file name without {@code .csv}, and
 * optionally a labels file with the header {@code channel,start,end} (and an optional fourth column
 * {@code kind}), times in any form {@link Timestamps} reads, both ends inclusive.
 *
 * <p>Like NAB it has no training split: {@link NominalSplit} trains on the first {@code trainFraction}.
 * A label naming a channel that has no file is an error (a typo would otherwise silently leave a
 * channel unlabeled).
 */
public final class CsvLoader {

    private CsvLoader() {}

    public static List<ChannelData> load(Path path, Path labelsFile, double trainFraction, Predicate<String> select) {
        List<Path> files = dataFiles(path, labelsFile);
        Map<String, Path> byChannel = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            byChannel.put(name.substring(0, name.length() - ".csv".length()), file);
        }
        Map<String, List<TimeWindow>> windows = labelsFile == null ? Map.of() : LabelWindows.read(labelsFile, byChannel.keySet());
        List<ChannelData> channels = new ArrayList<>();
        for (Map.Entry<String, Path> e : byChannel.entrySet()) {
            if (select.test(e.getKey())) {
                channels.add(NominalSplit.split(e.getKey(), "csv", TimedSeries.read(e.getValue()),
                        windows.getOrDefault(e.getKey(), List.of()), trainFraction));
            }
        }
        return channels;
    }

    private static List<Path> dataFiles(Path path, Path labelsFile) {
        if (Files.isRegularFile(path)) {
            if (!path.getFileName().toString().endsWith(".csv")) {
                throw new DataFormatException(path, "expected a .csv file or a directory of them");
            }
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new DataFormatException(path, "no such file or directory");
        }
        try (Stream<Path> list = Files.list(path)) {
            List<Path> files = list.filter(p -> p.getFileName().toString().endsWith(".csv") && Files.isRegularFile(p))
                    .filter(p -> labelsFile == null || !p.toAbsolutePath().normalize().equals(labelsFile.toAbsolutePath().normalize()))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new DataFormatException(path, "no .csv files");
            }
            return files;
        } catch (IOException e) {
            throw new DataFormatException(path, "cannot list: " + e.getMessage(), e);
        }
    }
}
