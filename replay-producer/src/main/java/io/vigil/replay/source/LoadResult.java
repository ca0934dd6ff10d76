package io.vigil.replay.source;

import java.util.ArrayList;
import java.util.List;

/** What a loader read, and what it tolerated on the way (rows skipped and why), to be reported. */
public record LoadResult(List<Series> series, List<String> warnings) {

    public LoadResult {
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
    }

    public LoadResult plus(LoadResult other) {
        List<Series> s = new ArrayList<>(series);
        s.addAll(other.series);
        List<String> w = new ArrayList<>(warnings);
        w.addAll(other.warnings);
        return new LoadResult(s, w);
    }
}
