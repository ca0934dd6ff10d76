package io.vigil.models.data;

import io.vigil.datasets.DataFormatException;
import io.vigil.datasets.Npy;
import io.vigil.datasets.TelemanomLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Telemanom's layout (SMAP/MSL): {@code <root>/train/<chan>.npy} (nominal), {@code <root>/test/<chan>.npy}
 * and {@code <root>/labeled_anomalies.csv} with the columns
 * {@code chan_id,spacecraft,anomaly_sequences,class,num_values}, e.g.
 * {@code P-1,SMAP,"[[2149, 2349], [4536, 4844]]","[contextual, contextual]",8505}.
 *
 * <p>Column 0 of each array is the value. {@code anomaly_sequences} are 0-based inclusive index ranges
 * into the test series, and {@code num_values} must equal the test series' length (otherwise the labels
 * would point at the wrong values). The channels are the rows of the labels file (read by
 * {@link TelemanomLabels}, as the replay producer reads it); the source is {@code telemanom/<spacecraft>},
 * the label kind the row's class. A channel the labels file lists more than once (NASA's lists P-2
 * twice) is trained once, on the union of its rows' sequences, with the reader's note among its
 * {@link ChannelData#notes()} so the trainer prints it.
 */
public final class TelemanomLoader {

    public static final String LABELS = TelemanomLabels.FILE;

    private TelemanomLoader() {}

    public static List<ChannelData> load(Path root, Predicate<String> select) {
        Path labelsFile = root.resolve(LABELS);
        if (!Files.isRegularFile(labelsFile)) {
            throw new DataFormatException(root, "not a Telemanom root: no " + LABELS);
        }
        List<ChannelData> channels = new ArrayList<>();
        TelemanomLabels file = TelemanomLabels.read(labelsFile);
        for (TelemanomLabels.Row row : file.rows().values()) {
            if (!select.test(row.channel())) {
                continue;
            }
            Path trainFile = root.resolve("train").resolve(row.channel() + ".npy");
            Path testFile = root.resolve("test").resolve(row.channel() + ".npy");
            Npy.Column train = finite(trainFile, Npy.readFirstColumn(trainFile));
            Npy.Column test = finite(testFile, Npy.readFirstColumn(testFile));
            if (test.rows() != row.numValues()) {
                throw new DataFormatException(testFile, "has " + test.rows() + " rows but " + LABELS + " line "
                        + row.line() + " says num_values " + row.numValues() + "; its labels would point at the wrong values");
            }
            if (train.rows() == 0) {
                throw new DataFormatException(trainFile, "has no rows");
            }
            List<LabelRange> labels = row.sequences().stream()
                    .map(q -> new LabelRange(q.first(), q.last(), q.kind())).toList();
            List<String> notes = Optional.ofNullable(file.notes().get(row.channel())).stream().toList();
            channels.add(new ChannelData(row.channel(), "telemanom/" + row.spacecraft(), train.values(), test.values(),
                    null, null, labels, notes));
        }
        return channels;
    }

    /** A model cannot learn from NaN or infinity. */
    private static Npy.Column finite(Path file, Npy.Column column) {
        double[] values = column.values();
        for (int r = 0; r < values.length; r++) {
            if (!Double.isFinite(values[r])) {
                throw new DataFormatException(file, "row " + r + " (0-based), column 0 is " + values[r]
                        + "; values must be finite");
            }
        }
        return column;
    }
}
