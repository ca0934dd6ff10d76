package io.vigil.replay.prometheus;

import java.util.ArrayList;
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
}
