package io.vigil.bridge.views;

/**
 * What the views keep, and so how much memory they may take.
 *
 * @param maxKeys channels, and separately nodes, tracked; more are counted and left out
 * @param segments recent anomaly and label segments kept
 * @param chartPoints scores kept per channel so that a chart opens with its recent past (0: none)
 * @param chartChannels channels that keep them, the first seen; about 25 bytes a point, so the
 *     defaults (2,000 points of 1,000 channels) take at most 50 MB
 */
public record ViewSettings(int maxKeys, int segments, int chartPoints, int chartChannels) {

    public ViewSettings {
        if (maxKeys < 1 || segments < 1) {
            throw new IllegalArgumentException("bridge.views.max.keys and bridge.views.segments must be positive");
        }
        if (chartPoints < 0 || chartChannels < 0) {
            throw new IllegalArgumentException("bridge.views.chart.points and bridge.views.chart.channels must not be negative");
        }
    }
}
