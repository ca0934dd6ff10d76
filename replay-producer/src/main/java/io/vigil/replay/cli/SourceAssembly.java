package io.vigil.replay.cli;

import io.vigil.datasets.LabelWindows;
import io.vigil.datasets.TimeWindow;
import io.vigil.replay.event.EventSource;
import io.vigil.replay.prometheus.ChannelNaming;
import io.vigil.replay.prometheus.PrometheusClient;
import io.vigil.replay.prometheus.PrometheusLive;
import io.vigil.replay.prometheus.PrometheusRange;
import io.vigil.replay.prometheus.RangePlan;
import io.vigil.replay.schedule.ReplaySchedule;
import io.vigil.replay.schedule.StartOffset;
import io.vigil.replay.simulate.Fleet;
import io.vigil.replay.simulate.SimulationConfig;
import io.vigil.replay.source.CsvSeries;
import io.vigil.replay.source.LoadResult;
import io.vigil.replay.source.NabDataset;
import io.vigil.replay.source.Series;
import io.vigil.replay.source.TelemanomDataset;
import io.vigil.replay.source.TimeAxis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the event source the command line describes: the chosen data sets loaded and merged into one
 * {@link ReplaySchedule}, or a simulated {@link Fleet}. A channel id that two inputs would both produce
 * is an error: its points would interleave into one channel out of order.
 */
public final class SourceAssembly {

    /** How far back from {@code --prometheus-end} a Prometheus range starts unless {@code --prometheus-start} says. */
    static final java.time.Duration PROMETHEUS_DEFAULT_RANGE = java.time.Duration.ofHours(1);

    /** How often {@code --prometheus-live} polls unless {@code --prometheus-step} says: Prometheus' usual scrape interval. */
    static final java.time.Duration PROMETHEUS_LIVE_STEP = java.time.Duration.ofSeconds(15);

    /** Source of points from plain CSV files unless {@code --source} says otherwise. */
    public static final String CSV_SOURCE = "replay";

    /** The source, what loading tolerated (to be logged as warnings), and a one-line description. */
    public record Assembled(EventSource source, List<String> warnings, String description) {}

    private SourceAssembly() {
    }

    public static Assembled replay(ReplaySourceOptions o, PlaybackOptions p, String sourceOverride, long now)
            throws IOException {
        LoadResult loaded = new LoadResult(List.of(), List.of());
        if (!o.files.isEmpty()) {
            loaded = loaded.plus(csv(o));
        }
        if (o.nab != null) {
            loaded = loaded.plus(NabDataset.load(o.nab,
                    new NabDataset.Selection(o.nabGlobs, Set.copyOf(o.nabCategories)), o.strict));
        }
        if (o.telemanom != null) {
            loaded = loaded.plus(TelemanomDataset.load(o.telemanom,
                    new TelemanomDataset.Selection(Set.copyOf(o.telemanomChannels), Set.copyOf(o.spacecraft)),
                    new TimeAxis(o.timeStart, o.timeStep.toMillis())));
        }
        if (o.prometheus != null) {
            if (o.prometheusQueries.isEmpty()) {
                throw new IllegalArgumentException("--prometheus needs at least one --prometheus-query");
            }
            long end = o.prometheusEnd != null ? o.prometheusEnd : now;
            long start = o.prometheusStart != null ? o.prometheusStart : end - PROMETHEUS_DEFAULT_RANGE.toMillis();
            loaded = loaded.plus(PrometheusRange.load(new PrometheusClient(o.prometheus), o.prometheusQueries,
                    RangePlan.of(start, end, o.prometheusStep == null ? null : o.prometheusStep.toMillis()),
                    new ChannelNaming(o.prometheusChannelLabels)));
        }
        if (loaded.series().isEmpty() && !loaded.warnings().isEmpty()) {
            throw new IllegalArgumentException("nothing to replay: " + String.join("; ", loaded.warnings()));
        }
        List<Series> series = loaded.series().stream()
                .map(s -> sourceOverride == null ? s : s.withSource(sourceOverride)).toList();
        rejectDuplicateChannels(series);
        ReplaySchedule schedule = new ReplaySchedule(series, new ReplaySchedule.Options(p.loop,
                p.alignNow ? now : null, p.startOffset == null ? StartOffset.NONE : p.startOffset));
        List<String> warnings = new ArrayList<>(loaded.warnings());
        warnings.addAll(schedule.dropped());
        long points = schedule.series().stream().mapToLong(Series::size).sum();
        long labels = schedule.series().stream().mapToLong(s -> s.labels().size()).sum();
        return new Assembled(schedule, warnings, "replaying " + schedule.series().size() + " channel(s), " + points
                + " points and " + labels + " label window(s) per lap");
    }

    /** Prometheus polled as its series grow ({@code --prometheus-live}): the only source of such a run. */
    public static Assembled prometheusLive(ReplaySourceOptions o, PlaybackOptions p, String sourceOverride, long now) {
        if (o.prometheus == null || o.prometheusQueries.isEmpty()) {
            throw new IllegalArgumentException("--prometheus-live needs --prometheus URL and at least one --prometheus-query");
        }
        if (!o.files.isEmpty() || o.nab != null || o.telemanom != null) {
            throw new IllegalArgumentException("--prometheus-live is a source of its own: no FILE, --nab or --telemanom beside it");
        }
        if (p.speed != 1 || p.loop || p.alignNow || p.startOffset != null || o.prometheusEnd != null) {
            throw new IllegalArgumentException("--prometheus-live plays in real time: no --speed but 1, no --loop, --align-now,"
                    + " --start-offset or --prometheus-end");
        }
        long step = o.prometheusStep == null ? PROMETHEUS_LIVE_STEP.toMillis() : o.prometheusStep.toMillis();
        PrometheusLive live = new PrometheusLive(new PrometheusClient(o.prometheus), o.prometheusQueries, step,
                new ChannelNaming(o.prometheusChannelLabels), sourceOverride == null ? PrometheusRange.SOURCE : sourceOverride,
                o.prometheusStart != null ? o.prometheusStart : now, System::currentTimeMillis);
        return new Assembled(live, List.of(), "polling Prometheus at " + o.prometheus + " every " + step + " ms for "
                + o.prometheusQueries.size() + " query(ies)");
    }

    public static Assembled simulation(SimulationOptions o, PlaybackOptions p, String sourceOverride, long now) {
        long start = o.start != null ? o.start : now;
        SimulationConfig config = SimulationConfig.of(o.fleet, o.members, o.seed, start)
                .withAnomalies(o.anomalyRate)
                .withSagDepth(o.sagDepth)
                .withDropouts(o.dropouts)
                .withEnd(p.duration == null ? Long.MAX_VALUE : start + p.duration.toMillis());
        if (o.samplePeriod != null) {
            config = config.withPeriod(o.samplePeriod.toMillis());
        }
        if (sourceOverride != null) {
            config = config.withSource(sourceOverride);
        }
        return new Assembled(Fleet.of(config), List.of(), "simulating " + config.members() + " "
                + o.fleet.name().toLowerCase(java.util.Locale.ROOT) + " member(s), seed " + config.seed()
                + ", one sample every " + config.periodMillis() + " ms");
    }

    private static LoadResult csv(ReplaySourceOptions o) throws IOException {
        List<CsvSeries> files = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path file : o.files) {
            CsvSeries s = CsvSeries.load(file, CsvSeries.channelIdOf(file), o.strict);
            s.data().skippedNote().ifPresent(warnings::add);
            files.add(s);
        }
        Set<String> ids = new LinkedHashSet<>();
        files.forEach(f -> ids.add(f.channelId()));
        Map<String, List<TimeWindow>> labels = o.labels == null ? Map.of() : LabelWindows.read(o.labels, ids);
        List<Series> series = files.stream()
                .map(f -> f.toSeries(CSV_SOURCE, labels.getOrDefault(f.channelId(), List.of()))).toList();
        return new LoadResult(series, warnings);
    }

    private static void rejectDuplicateChannels(List<Series> series) {
        Map<String, Integer> seen = new HashMap<>();
        for (Series s : series) {
            if (seen.merge(s.channelId(), 1, Integer::sum) == 2) {
                throw new IllegalArgumentException("channel '" + s.channelId() + "' would be replayed from two inputs;"
                        + " replay each channel once");
            }
        }
    }
}
