package io.vigil.models.data;

import io.vigil.datasets.DataFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/** The data layouts Vigil trains from. */
public enum Layout {
    /** {@code train/<chan>.npy}, {@code test/<chan>.npy}, {@code labeled_anomalies.csv}: see {@link TelemanomLoader}. */
    TELEMANOM,
    /** {@code data/<category>/<name>.csv}, {@code labels/combined_windows.json}: see {@link NabLoader}. */
    NAB,
    /** {@code timestamp,value} files and an optional {@code channel,start,end} labels file: see {@link CsvLoader}. */
    CSV;

    /** NAB's probationary period: the share of a series a detector may learn from without being scored. */
    public static final double DEFAULT_TRAIN_FRACTION = 0.15;

    /**
     * What to load.
     *
     * @param labels the labels file of the {@link #CSV} layout, or {@code null}
     * @param trainFraction share of a series used for training where the layout has no training split
     * @param channels channel ids to load (NAB also takes {@code <category>/<name>}); empty = all
     */
    public record Options(Path labels, double trainFraction, Set<String> channels) {
        public static Options defaults() {
            return new Options(null, DEFAULT_TRAIN_FRACTION, Set.of());
        }

        Predicate<String> selection() {
            return channels.isEmpty() ? c -> true : channels::contains;
        }
    }

    /**
     * Loads the channels of the data set at {@code path}.
     *
     * @throws DataFormatException for a file that does not follow the layout, naming file and line
     * @throws IllegalArgumentException for a requested channel the data set does not have
     */
    public List<ChannelData> load(Path path, Options options) {
        if (options.labels() != null && this != CSV) {
            throw new IllegalArgumentException("a separate labels file is for the csv layout; " + name().toLowerCase(Locale.ROOT)
                    + " has its own");
        }
        List<ChannelData> loaded = switch (this) {
            case TELEMANOM -> TelemanomLoader.load(path, options.selection());
            case NAB -> NabLoader.load(path, options.trainFraction(), options.selection());
            case CSV -> CsvLoader.load(path, options.labels(), options.trainFraction(), options.selection());
        };
        List<String> missing = options.channels().stream()
                .filter(c -> loaded.stream().noneMatch(d -> d.channelId().equals(c)
                        || (d.source().startsWith("nab/") && (d.source().substring(4) + "/" + d.channelId()).equals(c))))
                .sorted().toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(path + " (" + name().toLowerCase(Locale.ROOT) + ") has no channel "
                    + String.join(", ", missing));
        }
        return loaded;
    }

    public static Layout parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown layout '" + text + "': telemanom, nab or csv");
        }
    }
}
