package io.vigil.replay.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options naming the labeled data sets to replay; several kinds can be replayed together. */
public final class ReplaySourceOptions {

    @Parameters(arity = "0..*", paramLabel = "FILE",
            description = "CSV files (header timestamp,value); each is one channel named after the file.")
    public List<Path> files = new ArrayList<>();

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Ground truth for the CSV files: header channel,start,end[,kind], one window per row, both ends inclusive.")
    public Path labels;

    @Option(names = "--nab", paramLabel = "DIR",
            description = "A NAB root (data/<category>/<name>.csv, labels/combined_windows.json); channel = <name>.")
    public Path nab;

    @Option(names = "--nab-select", paramLabel = "GLOB", split = ",",
            description = "Replay only NAB files whose <category>/<name>[.csv] matches one of these globs, e.g. 'realKnownCause/*'.")
    public List<String> nabGlobs = new ArrayList<>();

    @Option(names = "--nab-category", paramLabel = "CATEGORY", split = ",",
            description = "Replay only these NAB categories, e.g. realAWSCloudwatch.")
    public List<String> nabCategories = new ArrayList<>();

    @Option(names = "--telemanom", paramLabel = "DIR",
            description = "A Telemanom root (test/<chan>.npy, labeled_anomalies.csv); the test series are replayed.")
    public Path telemanom;

    @Option(names = "--telemanom-channels", paramLabel = "CHAN", split = ",",
            description = "Replay only these Telemanom channels, e.g. P-1,A-1.")
    public List<String> telemanomChannels = new ArrayList<>();

    @Option(names = "--spacecraft", paramLabel = "NAME", split = ",",
            description = "Replay only Telemanom channels of these spacecraft (SMAP, MSL).")
    public List<String> spacecraft = new ArrayList<>();

    @Option(names = "--time-start", paramLabel = "INSTANT", defaultValue = "2018-01-01T00:00:00Z", converter = InstantConverter.class,
            description = "Time of index 0 of Telemanom series (default: ${DEFAULT-VALUE}).")
    public long timeStart;

    @Option(names = "--time-step", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
            description = "Time between Telemanom values (default: ${DEFAULT-VALUE}).")
    public Duration timeStep;

    @Option(names = "--prometheus", paramLabel = "URL",
            description = "A Prometheus server (http://host:9090) to read --prometheus-query series from by range queries.")
    public String prometheus;

    @Option(names = "--prometheus-query", paramLabel = "PROMQL",
            description = "A PromQL query whose series are replayed, e.g. 'node_load1'; repeatable.")
    public List<String> prometheusQueries = new ArrayList<>();

    @Option(names = "--prometheus-start", paramLabel = "INSTANT", converter = InstantConverter.class,
            description = "Start of the range read from Prometheus (default: an hour before --prometheus-end).")
    public Long prometheusStart;

    @Option(names = "--prometheus-end", paramLabel = "INSTANT", converter = InstantConverter.class,
            description = "End of the range read from Prometheus (default: now).")
    public Long prometheusEnd;

    @Option(names = "--prometheus-step", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Resolution of the range queries (default: the smallest whole second that fits the range into one query"
                    + " of at most 11,000 points per series; with a step given, the range is split into as many queries as it needs).")
    public Duration prometheusStep;

    @Option(names = "--prometheus-channel-labels", paramLabel = "LABEL", split = ",",
            description = "Labels whose values, after the metric name, make a series' channel id (default: every label as name=value).")
    public List<String> prometheusChannelLabels = new ArrayList<>();

    @Option(names = "--prometheus-live",
            description = "Poll Prometheus every --prometheus-step (default 15s) of real time and send each series' new samples,"
                    + " none twice; from --prometheus-start if given, else from now.")
    public boolean prometheusLive;

    @Option(names = "--strict", description = "Fail on CSV rows whose timestamp does not increase instead of skipping them.")
    public boolean strict;

    public boolean any() {
        return !files.isEmpty() || nab != null || telemanom != null || prometheus != null;
    }
}
