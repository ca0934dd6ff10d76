package io.vigil.replay.source;

import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.Npy;
import io.vigil.datasets.TelemanomLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Telemanom's layout (SMAP/MSL): {@code <root>/test/<chan>.npy}, {@code <root>/train/<chan>.npy} and
 * {@code <root>/labeled_anomalies.csv}.
 *
 * <p>Decisions: only the test part is replayed (training data is the models module's business); column 0
 * of the array is the value, and the others (command flags) are the point's inputs, in column order,
 * as the channel's model was trained on them; the data has indices, not times, so index
 * {@code i} happens at {@link TimeAxis#time(long)} and each labeled index range {@code [first, last]}
 * becomes the window {@code [time(first), time(last)]}, exactly the times of the labeled points. The
 * channel id is {@code chan_id} ({@code P-1}), the source {@code telemanom/<spacecraft>}, the kind the
 * row's {@code class}. A test series whose length is not the row's {@code num_values} is an error: the
 * labels would point at the wrong points. A channel listed more than once (NASA's file lists P-2 twice)
 * is replayed once with the union of its rows' sequences; the reader's note is a warning of the load.
 */
public final class TelemanomDataset {

    /**
     * Which channels to replay: those in {@code channels} (all when empty) whose spacecraft is among
     * {@code spacecraft} (any when empty, compared ignoring case).
     */
    public record Selection(Set<String> channels, Set<String> spacecraft) {

        public static Selection all() {
            return new Selection(Set.of(), Set.of());
        }

        boolean matches(TelemanomLabels.Row row) {
            return (channels.isEmpty() || channels.contains(row.channel()))
                    && (spacecraft.isEmpty() || spacecraft.stream().anyMatch(s -> s.equalsIgnoreCase(row.spacecraft())));
        }
    }

    private TelemanomDataset() {
    }

    public static LoadResult load(Path root, Selection selection, TimeAxis axis) {
        Path labelsFile = root.resolve(TelemanomLabels.FILE);
        if (!Files.isRegularFile(labelsFile)) {
            throw new IllegalArgumentException(root + ": not a Telemanom root (no labeled_anomalies.csv)");
        }
        TelemanomLabels file = TelemanomLabels.read(labelsFile);
        Map<String, TelemanomLabels.Row> rows = file.rows();
        Set<String> unknown = new LinkedHashSet<>(selection.channels());
        unknown.removeAll(rows.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(labelsFile + ": no row for channel(s) " + unknown);
        }
        List<Series> series = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (TelemanomLabels.Row row : rows.values()) {
            if (!selection.matches(row)) {
                continue;
            }
            series.add(series(root, labelsFile, row, axis));
            Optional.ofNullable(file.notes().get(row.channel())).ifPresent(warnings::add);
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException(labelsFile + ": no channel matches the selection " + selection);
        }
        return new LoadResult(series, warnings);
    }

    private static Series series(Path root, Path labelsFile, TelemanomLabels.Row row, TimeAxis axis) {
        Path file = root.resolve("test").resolve(row.channel() + ".npy");
        String where = labelsFile + ":" + row.line() + ": ";
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(where + "channel '" + row.channel() + "' has no test series " + file);
        }
        Npy.Table table = Npy.read(file);
        double[] values = table.values();
        if (values.length != row.numValues()) {
            throw new IllegalArgumentException(where + "num_values is " + row.numValues() + " but " + file + " has "
                    + values.length + " rows");
        }
        List<TimeWindow> labels = new ArrayList<>();
        for (TelemanomLabels.Sequence q : row.sequences()) {
            labels.add(new TimeWindow(axis.time(q.first()), axis.time(q.last()), q.kind()));
        }
        return new Series(row.channel(), "telemanom/" + row.spacecraft(), axis.times(values.length), values, labels,
                table.inputRows());
    }
}
