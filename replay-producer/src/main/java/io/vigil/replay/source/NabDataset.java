package io.vigil.replay.source;

import io.vigil.datasets.NabWindows;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Numenta Anomaly Benchmark's layout: {@code <root>/data/<category>/<name>.csv} series and
 * {@code <root>/labels/combined_windows.json} windows.
 *
 * <p>Decisions: a channel is named by the file's {@code <name>} alone (NAB's 58 names are unique), so a
 * series keeps its channel id, and its model, whether it is replayed from here or from a copied CSV file;
 * two selected files with the same name are an error. Every key of the labels file must name an existing
 * data file and every selected file must have a key (NAB's keys match its files exactly; a mismatch means
 * a wrong or partial root). Windows carry the kind {@value NabWindows#KIND}.
 */
public final class NabDataset {

    /** Points and labels of NAB channels carry this source. */
    public static final String SOURCE = "nab";

    /**
     * Which files to replay: a file is selected when its category is among {@code categories} (or none
     * are given) and its {@code <category>/<name>.csv} path matches one of {@code globs} (or none are
     * given). A glob may leave out {@code .csv}, e.g. {@code realKnownCause/*} or {@code *}{@code /art_*}.
     */
    public record Selection(List<String> globs, Set<String> categories) {

        public static Selection all() {
            return new Selection(List.of(), Set.of());
        }

        boolean matches(String relative) {
            String category = relative.substring(0, relative.indexOf('/'));
            if (!categories.isEmpty() && !categories.contains(category)) {
                return false;
            }
            if (globs.isEmpty()) {
                return true;
            }
            Path withExtension = Path.of(relative);
            Path withoutExtension = Path.of(relative.substring(0, relative.length() - ".csv".length()));
            for (String glob : globs) {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                if (m.matches(withExtension) || m.matches(withoutExtension)) {
                    return true;
                }
            }
            return false;
        }
    }

    private NabDataset() {
    }

    /** Loads the selected series; {@code strict} as in {@link CsvSeries#load(Path, String, boolean)}. */
    public static LoadResult load(Path root, Selection selection, boolean strict) throws IOException {
        Path dataDir = root.resolve("data");
        Path labelsFile = root.resolve(NabWindows.FILE);
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException(root + ": not a NAB root (no data/ directory)");
        }
        if (!Files.isRegularFile(labelsFile)) {
            throw new IllegalArgumentException(root + ": not a NAB root (no labels/combined_windows.json)");
        }
        List<String> files = dataFiles(dataDir);
        Map<String, NabWindows.Entry> windows = NabWindows.read(labelsFile);
        for (Map.Entry<String, NabWindows.Entry> e : windows.entrySet()) {
            if (!files.contains(e.getKey())) {
                throw new IllegalArgumentException(labelsFile + ":" + e.getValue().line() + ": '" + e.getKey()
                        + "' names a file that is not in " + dataDir);
            }
        }
        List<Series> series = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, String> fileByChannel = new HashMap<>();
        for (String relative : files) {
            if (!selection.matches(relative)) {
                continue;
            }
            NabWindows.Entry entry = windows.get(relative);
            if (entry == null) {
                throw new IllegalArgumentException(dataDir.resolve(relative) + " has no entry in " + labelsFile);
            }
            Path file = dataDir.resolve(relative);
            String channel = CsvSeries.channelIdOf(file);
            String previous = fileByChannel.put(channel, relative);
            if (previous != null) {
                throw new IllegalArgumentException("NAB files " + previous + " and " + relative + " would both be channel '"
                        + channel + "': select only one of them");
            }
            CsvSeries csv = CsvSeries.load(file, channel, strict);
            csv.data().skippedNote().ifPresent(warnings::add);
            series.add(csv.toSeries(SOURCE, entry.windows()));
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException(root + ": no NAB data file matches the selection " + selection);
        }
        return new LoadResult(series, warnings);
    }

    /** {@code <category>/<name>.csv} of every data file, sorted, with {@code /} separators. */
    private static List<String> dataFiles(Path dataDir) throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir, 2)) {
            return walk.filter(f -> dataDir.relativize(f).getNameCount() == 2)
                    .filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f))
                    .map(f -> dataDir.relativize(f).getName(0) + "/" + f.getFileName())
                    .sorted()
                    .toList();
        }
    }
}
