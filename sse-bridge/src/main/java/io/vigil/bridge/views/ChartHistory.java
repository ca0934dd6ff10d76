package io.vigil.bridge.views;

import java.util.List;

/**
 * A channel's recent scores as {@code /api/history} answers them, oldest first, one list per field of
 * the chart (non-finite values as null); {@code kept} is false for a channel beyond
 * {@code bridge.views.chart.channels}, whose history is only what a page receives live.
 */
public record ChartHistory(String channelId, boolean kept, List<Long> eventTime, List<Double> value,
                           List<Double> forecast, List<Double> smoothedError, List<Double> threshold,
                           List<Boolean> anomalous) {
}
