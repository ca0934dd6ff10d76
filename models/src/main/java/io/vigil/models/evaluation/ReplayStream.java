package io.vigil.models.evaluation;

import io.vigil.models.data.ChannelData;

/**
 * The points an evaluation feeds a detector for one channel, in order. Where the training series is the
 * start of the same recording as the test series (NAB, CSV: one file split in two), it is replayed
 * first, as the live stream would have carried it before the test part: detectors start the test
 * part warmed up, and the start-up rules (no anomaly in the first 2 l_s values) spend themselves on
 * nominal data. Telemanom's train and test files are separate recordings, so only the test series is
 * replayed. Only the test part is scored.
 *
 * @param times event times (epoch ms), strictly increasing; one minute apart where the layout has
 *     indices only
 * @param testOffset index of the first test point
 * @param inputs {@code [input][point]}: the input features each point carries beside its value, none
 *     for a channel of the value alone
 */
public record ReplayStream(long[] times, double[] values, int testOffset, double[][] inputs) {

    public ReplayStream(long[] times, double[] values, int testOffset) {
        this(times, values, testOffset, new double[0][]);
    }

    /** Where index-only series are placed in time: 2020-01-01T00:00:00Z, one point a minute. */
    static final long SYNTHETIC_START = 1_577_836_800_000L;
    static final long SYNTHETIC_STEP = 60_000L;

    public static ReplayStream of(ChannelData c) {
        boolean continuous = c.trainTimes() != null && c.testTimes() != null && c.train().length > 0
                && c.test().length > 0 && c.trainTimes()[c.train().length - 1] < c.testTimes()[0];
        int offset = continuous ? c.train().length : 0;
        int n = offset + c.test().length;
        long[] times = new long[n];
        double[] values = new double[n];
        double[][] inputs = new double[c.inputs().count()][n];
        for (int i = 0; i < n; i++) {
            boolean train = i < offset;
            values[i] = train ? c.train()[i] : c.test()[i - offset];
            for (int k = 0; k < inputs.length; k++) {
                inputs[k][i] = train ? c.inputs().train()[k][i] : c.inputs().test()[k][i - offset];
            }
            long[] source = train ? c.trainTimes() : c.testTimes();
            times[i] = source != null ? source[train ? i : i - offset] : SYNTHETIC_START + i * SYNTHETIC_STEP;
        }
        return new ReplayStream(times, values, offset, inputs);
    }

    /** The input features of point {@code i}, in the order a {@code TelemetryPoint} carries them. */
    public java.util.List<Double> inputsAt(int i) {
        if (inputs.length == 0) {
            return java.util.List.of();
        }
        Double[] at = new Double[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            at[k] = inputs[k][i];
        }
        return java.util.Arrays.asList(at);
    }

    public int size() {
        return values.length;
    }

    public int testSize() {
        return values.length - testOffset;
    }

    /** Index of the point at {@code time}, or of the last point before it; -1 if before the first. */
    int indexAtOrBefore(long time) {
        int lo = 0;
        int hi = times.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= time) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
