package io.vigil.topology.scoring.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The distribution a channel's model was trained on, as the release carries it: the training series'
 * scaled values at equal steps of probability, {@code q_0 <= ... <= q_K}.
 *
 * @param quantiles at least two, finite, non-decreasing; not to be modified
 */
public record DriftReference(float[] quantiles) {

    /** Quantiles a release's sketch has: 0 %, 1 %, ..., 100 %. */
    public static final int QUANTILES = 101;

    public DriftReference {
        if (quantiles.length < 2) {
            throw new IllegalArgumentException("a quantile sketch needs at least 2 quantiles, has " + quantiles.length);
        }
        for (int i = 0; i < quantiles.length; i++) {
            if (!Float.isFinite(quantiles[i]) || (i > 0 && quantiles[i] < quantiles[i - 1])) {
                throw new IllegalArgumentException("quantile " + i + " of the sketch (" + quantiles[i]
                        + ") is not finite or is below the one before");
            }
        }
    }

    /**
     * The sketch of {@code values} (finite, at least one): quantile p (0, 0.01, ..., 1) is the sorted
     * value at rank round(p (n - 1)), so the first and last are the minimum and maximum.
     */
    public static DriftReference of(float[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to sketch");
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        int k = QUANTILES - 1;
        float[] q = new float[QUANTILES];
        for (int i = 0; i <= k; i++) {
            q[i] = sorted[(int) Math.round((double) i * (sorted.length - 1) / k)];
        }
        return new DriftReference(q);
    }

    /** The sketch a release carries ({@code ModelRelease.valueQuantiles}); null for an empty one, a release without. */
    public static DriftReference fromRelease(List<Float> quantiles) {
        if (quantiles.isEmpty()) {
            return null;
        }
        float[] q = new float[quantiles.size()];
        for (int i = 0; i < q.length; i++) {
            q[i] = quantiles.get(i);
        }
        return new DriftReference(q);
    }

    /** The quantiles as a release carries them. */
    public List<Float> toRelease() {
        List<Float> list = new ArrayList<>(quantiles.length);
        for (float v : quantiles) {
            list.add(v);
        }
        return list;
    }

    /** Intervals between the quantiles: K. */
    public int intervals() {
        return quantiles.length - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriftReference other && Arrays.equals(quantiles, other.quantiles);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(quantiles);
    }

    @Override
    public String toString() {
        return "DriftReference" + Arrays.toString(quantiles);
    }
}
