package io.vigil.replay.source;

import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.TimedCsv;
import java.nio.file.Path;
import java.util.List;

/**
 * One channel's series read from a {@code timestamp,value} CSV file (NAB's layout) by {@link TimedCsv}.
 * Unreadable rows are errors naming the file and line. Points must be in strictly increasing time
 * order: a row whose time does not increase (real data has them, e.g. the clock change of a
 * daylight-saving switch) is an error when loading strictly, and otherwise skipped and reported in
 * {@link TimedCsv#skipped()}, never silently reordered. NaN values are kept: the scorer dead-letters them.
 * Columns after the value are sent as the points' inputs.
 */
public record CsvSeries(String channelId, TimedCsv data) {

    /** This file's points as a replayable series with the given source and ground truth. */
    public Series toSeries(String source, List<TimeWindow> labels) {
        return new Series(channelId, source, data.times(), data.values(), labels, data.inputs());
    }

    /** Loads {@code file}; when not {@code strict}, rows whose time does not increase are skipped. */
    public static CsvSeries load(Path file, String channelId, boolean strict) {
        return new CsvSeries(channelId,
                TimedCsv.read(file, strict ? TimedCsv.Order.STRICT : TimedCsv.Order.SKIP_NON_INCREASING, false));
    }

    /** Channel id for a file: its name without the extension. */
    public static String channelIdOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
