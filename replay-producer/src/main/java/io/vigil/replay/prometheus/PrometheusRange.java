package io.vigil.replay.prometheus;

import io.vigil.replay.source.LoadResult;
import io.vigil.replay.source.Series;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Series read from Prometheus by range queries, to replay like any data set: every query over the
 * {@link RangePlan}'s windows, each series named by the {@link ChannelNaming}, its windows' samples
 * joined in time order. Samples that are not finite (NaN, infinities) are left out and counted in a
 * warning: a telemetry point must be a number the scorer can use. Prometheus has no ground truth, so
 * the series carry no labels.
 */
public final class PrometheusRange {

    public static final String SOURCE = "prometheus";

    private PrometheusRange() {}

    public static LoadResult load(RangeQueries client, List<String> queries, RangePlan plan, ChannelNaming naming)
            throws IOException {
        Map<String, List<long[]>> times = new LinkedHashMap<>();
        Map<String, List<double[]>> values = new LinkedHashMap<>();
        ChannelNaming.Claims claims = naming.claims();
        List<String> warnings = new ArrayList<>();
        long skipped = 0;
        for (String query : queries) {
            for (long[] window : plan.windows()) {
                for (PrometheusClient.Samples s : client.queryRange(query, window[0], window[1], plan.step())) {
                    String channel = claims.channel(query, s.metric());
                    times.computeIfAbsent(channel, c -> new ArrayList<>()).add(s.times());
                    values.computeIfAbsent(channel, c -> new ArrayList<>()).add(s.values());
                }
            }
        }
        List<Series> series = new ArrayList<>();
        for (String channel : times.keySet()) {
            List<Long> t = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            List<long[]> tw = times.get(channel);
            List<double[]> vw = values.get(channel);
            for (int w = 0; w < tw.size(); w++) {
                for (int i = 0; i < tw.get(w).length; i++) {
                    double value = vw.get(w)[i];
                    if (!Double.isFinite(value)) {
                        skipped++;
                    } else if (t.isEmpty() || tw.get(w)[i] > t.get(t.size() - 1)) {
                        t.add(tw.get(w)[i]);
                        v.add(value);
                    }
                }
            }
            if (!t.isEmpty()) {
                series.add(new Series(channel, SOURCE, t.stream().mapToLong(Long::longValue).toArray(),
                        v.stream().mapToDouble(Double::doubleValue).toArray(), List.of()));
            }
        }
        if (skipped > 0) {
            warnings.add("prometheus: left out " + skipped + " samples that are not finite numbers");
        }
        if (series.isEmpty()) {
            warnings.add("prometheus: the queries " + queries + " returned no samples between "
                    + java.time.Instant.ofEpochMilli(plan.start()) + " and " + java.time.Instant.ofEpochMilli(plan.end()));
        }
        return new LoadResult(series, warnings);
    }
}
