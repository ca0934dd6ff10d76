package io.vigil.datasets;

/**
 * A labeled window in event time, both ends inclusive (epoch ms): a NAB window, a row of a labels file,
 * a Telemanom sequence put on a time axis.
 */
public record TimeWindow(long start, long end, String kind) {

    public TimeWindow {
        if (end < start) {
            throw new IllegalArgumentException("window ends before it starts: " + Timestamps.format(start) + " > "
                    + Timestamps.format(end));
        }
        kind = kind == null ? "" : kind;
    }
}
