package io.vigil.bridge.views;

import java.util.List;

/**
 * One channel as {@code /api/channels} shows it. {@code status}: ANOMALY (an anomaly segment is open,
 * or the last point was judged anomalous), WARMING_UP (the detector has no threshold yet), NORMAL, or
 * UNKNOWN (no score seen yet, only segments). {@code spark}: the last values, oldest first, for a
 * sparkline. Doubles that were not finite are null.
 */
public record ChannelSummary(String channelId, String source, String status, LastScore lastScore,
                             String detector, Integer modelVersion, OpenAnomaly openAnomaly,
                             long anomalyCount, long labelCount, List<Double> spark) {

    /** The channel's latest score; {@code drift} null where its detector measures none. */
    public record LastScore(long eventTime, Double value, Double forecast, Double smoothedError, Double threshold,
                            boolean anomalous, Double drift, long recordTime) {
    }

    /** The segment that is open now. */
    public record OpenAnomaly(long start, Double severity) {
    }
}
