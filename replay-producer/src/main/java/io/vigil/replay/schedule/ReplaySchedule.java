package io.vigil.replay.schedule;

import io.vigil.datasets.TimeWindow;
import io.vigil.replay.event.EventSink;
import io.vigil.replay.event.EventSource;
import io.vigil.replay.event.TimeHeap;
import io.vigil.replay.source.Series;
import java.util.ArrayList;
import java.util.List;

/**
 * The order and event times of a replay: the points of all series merged in event-time order (ties by
 * the order the series were given), and their ground truth.
 *
 * <p>Decisions:
 * <ul>
 * <li>{@code --start-offset} is applied per series first ({@link StartOffset}); a series with nothing
 *     left is dropped and reported in {@link #dropped()}. Labels that end before a series' first replayed
 *     point are dropped too.</li>
 * <li>Alignment moves every series' first replayed point to {@code alignTo} (a live-looking replay of old
 *     data), keeping its spacing.</li>
 * <li>Laps are global: lap {@code k} is lap 0 shifted by {@code k * lapLength}, where the lap length is
 *     the span of the whole (shifted) set plus its smallest first step, so every channel's times keep
 *     increasing and all channels restart together.</li>
 * <li>Labels: at the start of each lap (event time {@code origin + k * lapLength}, which is not after
 *     any point of the lap), every channel's windows are published shifted exactly like the points of
 *     that lap, followed by a {@link EventSink#barrier()}, so they are stored before any point they
 *     describe is even sent.</li>
 * </ul>
 */
public final class ReplaySchedule implements EventSource {

    /**
     * @param alignTo epoch millis to move every series' first replayed point to, or null to keep times
     */
    public record Options(boolean loop, Long alignTo, StartOffset startOffset) {

        public static Options plain() {
            return new Options(false, null, StartOffset.NONE);
        }
    }

    private final List<Series> series = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    private final boolean loop;
    private final long[][] times;
    private final double[][] values;
    private final int[] first;
    private final long[] shift;
    private final List<List<TimeWindow>> labels = new ArrayList<>();
    private final boolean anyLabels;
    private final long origin;
    private final long lapLength;

    private final int[] handles;
    private final int[] index;
    private final long[] lapShift;
    private final TimeHeap heap;
    private long labelLap;

    public ReplaySchedule(List<Series> all, Options options) {
        List<Integer> firsts = new ArrayList<>();
        for (Series s : all) {
            int f = options.startOffset().firstIndex(s.times());
            if (f >= s.size()) {
                dropped.add(s.channelId() + ": the start offset " + options.startOffset() + " skips all " + s.size() + " points");
            } else {
                series.add(s);
                firsts.add(f);
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException(all.isEmpty() ? "nothing to replay"
                    : "the start offset " + options.startOffset() + " skips every series");
        }
        int n = series.size();
        this.loop = options.loop();
        times = new long[n][];
        values = new double[n][];
        first = new int[n];
        shift = new long[n];
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        long step = Long.MAX_VALUE;
        boolean hasLabels = false;
        for (int s = 0; s < n; s++) {
            Series one = series.get(s);
            times[s] = one.times();
            values[s] = one.values();
            first[s] = firsts.get(s);
            long firstTime = times[s][first[s]];
            shift[s] = options.alignTo() == null ? 0 : options.alignTo() - firstTime;
            earliest = Math.min(earliest, firstTime + shift[s]);
            latest = Math.max(latest, times[s][times[s].length - 1] + shift[s]);
            if (first[s] + 1 < times[s].length) {
                step = Math.min(step, times[s][first[s] + 1] - firstTime);
            }
            List<TimeWindow> kept = one.labels().stream().filter(w -> w.end() >= firstTime).toList();
            labels.add(kept);
            hasLabels |= !kept.isEmpty();
        }
        anyLabels = hasLabels;
        origin = earliest;
        lapLength = latest - earliest + (step == Long.MAX_VALUE ? 1 : step);
        handles = new int[n];
        index = first.clone();
        lapShift = new long[n];
        heap = new TimeHeap(n);
    }

    /** Series left out because the start offset skipped all their points, one line each. */
    public List<String> dropped() {
        return List.copyOf(dropped);
    }

    /** The series being replayed. */
    public List<Series> series() {
        return List.copyOf(series);
    }

    public long lapLength() {
        return lapLength;
    }

    @Override
    public long startTime() {
        return origin;
    }

    @Override
    public void open(EventSink sink) {
        for (int s = 0; s < series.size(); s++) {
            handles[s] = sink.channel(series.get(s).channelId(), series.get(s).source());
            heap.add(s, pointTime(s));
        }
    }

    @Override
    public long nextTime() {
        long pointTime = heap.topTime();
        return labelsPending() ? Math.min(lapStart(labelLap), pointTime) : pointTime;
    }

    @Override
    public void emitNext(EventSink sink) {
        long pointTime = heap.topTime();
        if (labelsPending() && lapStart(labelLap) <= pointTime) {
            emitLabels(sink, labelLap++);
            return;
        }
        int s = heap.topId();
        sink.point(handles[s], pointTime, values[s][index[s]]);
        if (++index[s] < times[s].length) {
            heap.replaceTopTime(pointTime(s));
        } else if (loop) {
            index[s] = first[s];
            lapShift[s] += lapLength;
            heap.replaceTopTime(pointTime(s));
        } else {
            heap.removeTop();
        }
    }

    private boolean labelsPending() {
        return anyLabels && (loop || labelLap == 0);
    }

    private long lapStart(long lap) {
        return origin + lap * lapLength;
    }

    private long pointTime(int s) {
        return times[s][index[s]] + shift[s] + lapShift[s];
    }

    private void emitLabels(EventSink sink, long lap) {
        long publishedAt = lapStart(lap);
        boolean any = false;
        for (int s = 0; s < series.size(); s++) {
            long by = shift[s] + lap * lapLength;
            for (TimeWindow w : labels.get(s)) {
                sink.label(handles[s], publishedAt, w.start() + by, w.end() + by, w.kind());
                any = true;
            }
        }
        if (any) {
            sink.barrier();
        }
    }
}
