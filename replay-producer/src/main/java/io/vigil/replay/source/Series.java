package io.vigil.replay.source;

import io.vigil.datasets.TimeWindow;
import java.util.Comparator;
import java.util.List;

/**
 * One channel ready to replay: strictly increasing event times, their values, and the channel's
 * ground-truth windows in the data's own time (sorted by start). Every loader ends here, so the schedule
 * never knows which data set a channel came from.
 *
 * @param source what {@code TelemetryPoint.source} and {@code LabelSegment.source} say, e.g. {@code nab}
 * @param inputs {@code [point][input]}: the input features each point carries ({@code TelemetryPoint.inputs},
 *     Telemanom's command columns); no rows for a series of the value alone
 */
public record Series(String channelId, String source, long[] times, double[] values, List<TimeWindow> labels,
                     double[][] inputs) {

    /** A series of the value alone. */
    public Series(String channelId, String source, long[] times, double[] values, List<TimeWindow> labels) {
        this(channelId, source, times, values, labels, new double[0][]);
    }

    public Series {
        if (channelId == null || channelId.isBlank()) {
            throw new IllegalArgumentException("a series needs a channel id");
        }
        if (times.length != values.length) {
            throw new IllegalArgumentException(channelId + ": " + times.length + " times but " + values.length + " values");
        }
        if (times.length == 0) {
            throw new IllegalArgumentException(channelId + ": no points");
        }
        if (inputs.length != 0 && inputs.length != values.length) {
            throw new IllegalArgumentException(channelId + ": " + inputs.length + " rows of inputs for " + values.length
                    + " values");
        }
        for (int i = 1; i < times.length; i++) {
            if (times[i] <= times[i - 1]) {
                throw new IllegalArgumentException(channelId + ": time of point " + i + " does not increase");
            }
        }
        source = source == null ? "" : source;
        labels = labels.stream().sorted(Comparator.comparingLong(TimeWindow::start)).toList();
    }

    /** The inputs of point {@code i} (not a copy). */
    public double[] inputsAt(int i) {
        return inputs.length == 0 ? io.vigil.replay.event.EventSink.NO_INPUTS : inputs[i];
    }

    public int size() {
        return times.length;
    }

    public Series withSource(String newSource) {
        return new Series(channelId, newSource, times, values, labels, inputs);
    }
}
