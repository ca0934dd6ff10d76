package io.vigil.models.cli;

import io.vigil.models.data.ChannelData;
import io.vigil.models.data.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** Which data set, which layout, which channels, which shard. */
final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "Data set: a Telemanom or NAB root, or a CSV file or directory of CSV files.")
    Path data;

    @Option(names = "--layout", required = true, paramLabel = "LAYOUT", converter = LayoutConverter.class,
            description = "telemanom (train/ test/ labeled_anomalies.csv), nab (data/ labels/combined_windows.json)"
                    + " or csv (timestamp,value files).")
    Layout layout;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "csv layout: labels file with the header channel,start,end[,kind].")
    Path labels;

    @Option(names = "--train-fraction", paramLabel = "F", defaultValue = "0.15",
            description = "nab and csv layouts: the first F of each series is the nominal training part (NAB's"
                    + " probationary period, default ${DEFAULT-VALUE}); it ends earlier where a labeled window starts.")
    double trainFraction;

    @Option(names = {"--channel", "-c"}, paramLabel = "ID", split = ",",
            description = "Only these channels (repeatable or comma-separated); nab also takes <category>/<name>.")
    List<String> channels = new ArrayList<>();

    @Option(names = "--shard-index", paramLabel = "I", defaultValue = "${env:JOB_COMPLETION_INDEX:-0}",
            description = "This process's shard, 0-based (default: $JOB_COMPLETION_INDEX, else 0).")
    int shardIndex;

    @Option(names = "--shard-count", paramLabel = "N", defaultValue = "${env:VIGIL_TRAINING_SHARDS:-1}",
            description = "Number of shards (default: $VIGIL_TRAINING_SHARDS, else 1). Channels sorted by id are"
                    + " dealt round-robin: shard I trains channels I, I + N, I + 2N, ...")
    int shardCount;

    @Option(names = "--value-only",
            description = "Leave out the channels' input features (telemanom's command columns): models of the value"
                    + " alone, to compare with the models that take them.")
    boolean valueOnly;

    /** This shard's channels, sorted by id. */
    List<ChannelData> load() {
        return shard(loadAll());
    }

    /** Every selected channel, sorted by id, whatever the shard. */
    List<ChannelData> loadAll() {
        List<ChannelData> all = new ArrayList<>(layout.load(data,
                new Layout.Options(labels, trainFraction, new LinkedHashSet<>(channels))));
        all.sort(Comparator.comparing(ChannelData::channelId));
        return valueOnly ? all.stream().map(ChannelData::withoutInputs).toList() : all;
    }

    /** This shard's share of {@code sorted}: items I, I + N, I + 2N, ... */
    <T> List<T> shard(List<T> sorted) {
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
            throw new IllegalArgumentException("shard " + shardIndex + " of " + shardCount + ": need 0 <= index < count");
        }
        List<T> mine = new ArrayList<>();
        for (int i = shardIndex; i < sorted.size(); i += shardCount) {
            mine.add(sorted.get(i));
        }
        return mine;
    }

    String describe(int loaded) {
        return data + " (" + layout.name().toLowerCase(java.util.Locale.ROOT) + "), " + loaded + " channel(s)"
                + (shardCount > 1 ? ", shard " + shardIndex + " of " + shardCount : "");
    }

    static final class LayoutConverter implements picocli.CommandLine.ITypeConverter<Layout> {
        @Override
        public Layout convert(String value) {
            return Layout.parse(value);
        }
    }
}
