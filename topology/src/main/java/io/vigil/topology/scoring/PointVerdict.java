package io.vigil.topology.scoring;

/**
 * What a detector says about one point, in the units the {@code ChannelScore} fields document:
 * the forecast in the channel's units, the errors and threshold in the detector's.
 *
 * @param drift the channel's drift distance after the point; NaN where the detector measures none
 */
record PointVerdict(double forecast, double error, double smoothedError, double threshold, boolean anomalous,
        double drift) {}
