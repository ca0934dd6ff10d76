package io.vigil.replay.prometheus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The channel id of a Prometheus series: its metric name, then the values of the chosen labels, joined
 * by {@code /} ({@code node_load1/host-7} for {@code instance} chosen); with no label chosen, every
 * label but the name, sorted by name, as {@code name=value} ({@code node_load1/instance=host-7/job=node}),
 * which is unique whatever the query returns. A chosen label a series lacks is left out.
 */
public record ChannelNaming(List<String> labels) {

    private static final String NAME = "__name__";

    public ChannelNaming {
        labels = List.copyOf(labels);
    }

    public String channelOf(Map<String, String> metric) {
        List<String> parts = new ArrayList<>();
        String name = metric.get(NAME);
        if (name != null) {
            parts.add(name);
        }
        if (labels.isEmpty()) {
            new TreeMap<>(metric).forEach((k, v) -> {
                if (!k.equals(NAME)) {
                    parts.add(k + "=" + v);
                }
            });
        } else {
            for (String label : labels) {
                String value = metric.get(label);
                if (value != null) {
                    parts.add(value);
                }
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a Prometheus series with no name and none of the labels "
                    + labels + " has no channel id: " + metric);
        }
        return String.join("/", parts);
    }

    /** A fresh record of which query each channel came from, for one read of the queries. */
    public Claims claims() {
        return new Claims();
    }

    /**
     * Names series as they come from the queries and refuses a channel id that two queries, or two
     * series of one query, give: their points would interleave into one channel. Not thread-safe.
     */
    public final class Claims {
        private final Map<String, String> queryOf = new HashMap<>();
        private final Map<String, Map<String, String>> metricOf = new HashMap<>();

        private Claims() {}

        public String channel(String query, Map<String, String> metric) {
            String channel = channelOf(metric);
            String earlier = queryOf.putIfAbsent(channel, query);
            if (earlier != null && !earlier.equals(query)) {
                throw new IllegalArgumentException("channel '" + channel + "' comes from both '" + earlier
                        + "' and '" + query + "': choose labels that tell their series apart");
            }
            Map<String, String> seen = metricOf.putIfAbsent(channel, Map.copyOf(metric));
            if (seen != null && !seen.equals(metric)) {
                throw new IllegalArgumentException("channel '" + channel + "' names two series of '" + query + "', "
                        + seen + " and " + metric + ": choose labels that tell them apart");
            }
            return channel;
        }
    }
}
