package io.vigil.models.data;

import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.CsvFields;
import io.vigil.datasets.DataFormatException;
import io.vigil.datasets.LabelLines;
import io.vigil.datasets.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The plain layout: one {@code timestamp,value} CSV file per channel (a single file, or every
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
        Map<String, List<TimeWindow>> windows = labelsFile == null ? Map.of() : readLabels(labelsFile, byChannel.keySet());
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

    /** Windows by channel from a {@code channel,start,end[,kind]} file. */
    static Map<String, List<TimeWindow>> readLabels(Path file, java.util.Set<String> knownChannels) {
        Map<String, List<TimeWindow>> windows = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            String header;
            do {
                header = CsvFields.withoutBom(in.readLine());
                lineNumber++;
            } while (header != null && LabelLines.isSkipped(header));
            if (header == null) {
                throw new DataFormatException(file, lineNumber, "empty file; expected the header 'channel,start,end'");
            }
            List<String> names = CsvFields.split(file, lineNumber, header).stream()
                    .map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList();
            if (!(names.equals(List.of("channel", "start", "end")) || names.equals(List.of("channel", "start", "end", "kind")))) {
                throw new DataFormatException(file, lineNumber, "expected the header 'channel,start,end' (optionally ',kind'),"
                        + " found '" + header + "'");
            }
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (LabelLines.isSkipped(line)) {
                    continue;
                }
                List<String> f = CsvFields.split(file, lineNumber, line);
                if (f.size() != names.size()) {
                    throw new DataFormatException(file, lineNumber, "expected " + names.size() + " fields, found " + f.size());
                }
                String channel = f.get(0);
                if (!knownChannels.contains(channel)) {
                    throw new DataFormatException(file, lineNumber, "channel '" + channel + "' has no data file (known: "
                            + abbreviate(knownChannels) + ")");
                }
                try {
                    TimeWindow w = new TimeWindow(Timestamps.parse(f.get(1)), Timestamps.parse(f.get(2)),
                            f.size() > 3 ? f.get(3) : "");
                    windows.computeIfAbsent(channel, c -> new ArrayList<>()).add(w);
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

    private static String abbreviate(java.util.Set<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        return sorted.size() <= 5 ? String.join(", ", sorted) : String.join(", ", sorted.subList(0, 5)) + ", ...";
    }
}
