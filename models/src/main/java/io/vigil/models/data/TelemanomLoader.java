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
 * <p>Column 0 of each array is the value; the others (SMAP's 24, MSL's 54 one-hot command flags) are
 * the channel's {@link InputColumns}, named {@code cmd1}, {@code cmd2}, ... by column, and train and
 * test arrays must have the same columns. {@code anomaly_sequences} are 0-based inclusive index ranges
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
            Npy.Table train = finite(trainFile, Npy.read(trainFile));
            Npy.Table test = finite(testFile, Npy.read(testFile));
            if (test.rows() != row.numValues()) {
                throw new DataFormatException(testFile, "has " + test.rows() + " rows but " + LABELS + " line "
                        + row.line() + " says num_values " + row.numValues() + "; its labels would point at the wrong values");
            }
            if (train.rows() == 0) {
                throw new DataFormatException(trainFile, "has no rows");
            }
            if (train.columns().length != test.columns().length) {
                throw new DataFormatException(testFile, "has " + test.columns().length + " columns but " + trainFile
                        + " has " + train.columns().length + "; a model takes the same inputs in both");
            }
            List<LabelRange> labels = row.sequences().stream()
                    .map(q -> new LabelRange(q.first(), q.last(), q.kind())).toList();
            List<String> notes = Optional.ofNullable(file.notes().get(row.channel())).stream().toList();
            channels.add(new ChannelData(row.channel(), "telemanom/" + row.spacecraft(), train.values(),
                    test.values(), null, null, labels, notes, inputs(train, test)));
        }
        return channels;
    }

    /** Columns 1.. as inputs, named by column: {@code cmd1} is column 1. */
    private static InputColumns inputs(Npy.Table train, Npy.Table test) {
        int count = train.columns().length - 1;
        List<String> names = new ArrayList<>(count);
        for (int c = 1; c <= count; c++) {
            names.add("cmd" + c);
        }
        return new InputColumns(names, train.inputColumns(), test.inputColumns());
    }

    /** A model cannot learn from NaN or infinity. */
    private static Npy.Table finite(Path file, Npy.Table table) {
        for (int c = 0; c < table.columns().length; c++) {
            double[] values = table.columns()[c];
            for (int r = 0; r < values.length; r++) {
                if (!Double.isFinite(values[r])) {
                    throw new DataFormatException(file, "row " + r + " (0-based), column " + c + " is " + values[r]
                            + "; values must be finite");
                }
            }
        }
        return table;
    }
}
