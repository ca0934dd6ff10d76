package io.vigil.models.data;

import io.vigil.datasets.Timestamps;


/** A labeled window in event time, both ends inclusive (epoch ms), as NAB and the plain labels file give it. */
public record TimeWindow(long start, long end, String kind) {

    public TimeWindow {
        if (end < start) {
            throw new IllegalArgumentException("window ends before it starts: " + Timestamps.format(start) + " > "
                    + Timestamps.format(end));
        }
        kind = kind == null ? "" : kind;
    }
}
