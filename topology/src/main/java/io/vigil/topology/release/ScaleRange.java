package io.vigil.topology.release;

import io.vigil.avro.ScalingBounds;

/**
 * Min-max scaling to [-1, 1] with bounds fixed at training time: the one rule the trainer scales its
 * series with and the scorer scales live values and input features with, so both compute the same
 * network inputs. Values outside the bounds map outside [-1, 1]; nothing is clipped, so an excursion
 * shows as a large forecast error.
 *
 * @param min the value mapped to -1
 * @param max the value mapped to +1
 */
public record ScaleRange(double min, double max) {

    public static ScaleRange of(ScalingBounds bounds) {
        return new ScaleRange(bounds.getMin(), bounds.getMax());
    }

    public double scale(double value) {
        return 2 * (value - min) / (max - min) - 1;
    }

    /** The inverse of {@link #scale}: a forecast back in the channel's units. */
    public double unscale(double scaled) {
        return min + (scaled + 1) * (max - min) / 2;
    }

    /** Whether values can be scaled with these bounds: both finite, {@code max > min}. */
    public boolean usable() {
        return Double.isFinite(min) && Double.isFinite(max) && max > min;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
