package io.vigil.models.training;

import io.vigil.avro.ScalingBounds;
import io.vigil.topology.release.ScaleRange;

/**
 * Min-max scaling to [-1, 1] with bounds fixed from a channel's training series and released with its
 * model, so the scorer scales live values exactly as training did (one formula, {@link ScaleRange}). Test or live data never moves the
 * bounds (Telemanom's users were bitten by scaling with test statistics). Values outside the training
 * range map outside [-1, 1]; nothing is clipped, so an excursion shows as a large forecast error.
 */
public final class Scaling {

    private Scaling() {}

    /**
     * The bounds of {@code train}: its minimum maps to -1 and its maximum to +1. A constant series has no
     * range to map, so its bounds are the value -1 and +1 (the value maps to 0, a change of 1 to +-1).
     */
    public static ScalingBounds fit(double[] train) {
        if (train.length == 0) {
            throw new IllegalArgumentException("no training values to fix scaling bounds from");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : train) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("training value " + v + " is not finite");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (!(max - min > 0) || !Double.isFinite(max - min)) {
            double centre = min;
            min = centre - 1;
            max = centre + 1;
        }
        return ScalingBounds.newBuilder().setMin(min).setMax(max).build();
    }

    /** {@code 2 (x - min) / (max - min) - 1}, in double precision: the scorer's rule ({@link ScaleRange}). */
    public static double scale(ScalingBounds bounds, double x) {
        return ScaleRange.of(bounds).scale(x);
    }

    /** The inverse of {@link #scale}. */
    public static double unscale(ScalingBounds bounds, double y) {
        return ScaleRange.of(bounds).unscale(y);
    }

    /** Every value scaled, as the float32 the network computes in. */
    public static float[] apply(ScalingBounds bounds, double[] values) {
        float[] scaled = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            scaled[i] = (float) scale(bounds, values[i]);
        }
        return scaled;
    }
}
