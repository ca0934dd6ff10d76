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
 * <li>Laps are per series: lap {@code k} of a series is its lap 0 shifted by {@code k} times its own lap
 *     length, its span plus its first step (a series of one point takes the set's smallest first step),
 *     so its times keep increasing and every channel stays live
 *     however much shorter it is than the longest (laps of the whole set would leave a short series
 *     silent for most of each lap).</li>
 * <li>Labels: at the start of each lap of a series (the event time of its first point in that lap), the
 *     series' windows are published shifted exactly like the points of that lap; the labels of every
 *     series whose lap starts then come together, followed by one {@link EventSink#barrier()}, so they
 *     are stored before any point they describe is even sent.</li>
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

    /** The lap step of a series with one point to replay when no series of the set has a step either. */
    static final long SINGLE_POINT_STEP_MS = 1000;

    private final List<Series> series = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    private final boolean loop;
    private final long[][] times;
    private final double[][] values;
    /** Per series, where its points' inputs are read. */
    private final Series[] replayed;
    private final int[] first;
    private final long[] shift;
    private final List<List<TimeWindow>> labels = new ArrayList<>();
    private final long origin;
    private final long[] lapLength;

    private final int[] handles;
    private final int[] index;
    private final long[] lapShift;
    private final TimeHeap heap;
    /** The lap of each series whose labels are due next, and when; Long.MAX_VALUE when none are. */
    private final long[] labelLap;
    private final long[] labelsAt;
    private long nextLabelsAt = Long.MAX_VALUE;

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
        replayed = new Series[n];
        first = new int[n];
        shift = new long[n];
        lapLength = new long[n];
        labelLap = new long[n];
        labelsAt = new long[n];
        long earliest = Long.MAX_VALUE;
        for (int s = 0; s < n; s++) {
            Series one = series.get(s);
            times[s] = one.times();
            values[s] = one.values();
            replayed[s] = one;
            first[s] = firsts.get(s);
            long firstTime = times[s][first[s]];
            shift[s] = options.alignTo() == null ? 0 : options.alignTo() - firstTime;
            earliest = Math.min(earliest, firstTime + shift[s]);
            List<TimeWindow> kept = one.labels().stream().filter(w -> w.end() >= firstTime).toList();
            labels.add(kept);
            labelsAt[s] = kept.isEmpty() ? Long.MAX_VALUE : firstTime + shift[s];
            nextLabelsAt = Math.min(nextLabelsAt, labelsAt[s]);
        }
        origin = earliest;
        // A series with one point to replay has no step of its own: it laps at the smallest first step
        // of the set (a second when no series has one), not every millisecond.
        long smallest = Long.MAX_VALUE;
        for (int s = 0; s < n; s++) {
            if (first[s] + 1 < times[s].length) {
                smallest = Math.min(smallest, times[s][first[s] + 1] - times[s][first[s]]);
            }
        }
        for (int s = 0; s < n; s++) {
            long step = first[s] + 1 < times[s].length ? times[s][first[s] + 1] - times[s][first[s]]
                    : smallest == Long.MAX_VALUE ? SINGLE_POINT_STEP_MS : smallest;
            lapLength[s] = times[s][times[s].length - 1] - times[s][first[s]] + step;
        }
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

    /** The lap length of the {@code s}-th series replayed: its span plus its first step. */
    public long lapLength(int s) {
        return lapLength[s];
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
        return Math.min(nextLabelsAt, heap.topTime());
    }

    @Override
    public void emitNext(EventSink sink) {
        long pointTime = heap.topTime();
        if (nextLabelsAt <= pointTime) {
            emitLabels(sink, nextLabelsAt);
            return;
        }
        int s = heap.topId();
        sink.point(handles[s], pointTime, values[s][index[s]], replayed[s].inputsAt(index[s]));
        if (++index[s] < times[s].length) {
            heap.replaceTopTime(pointTime(s));
        } else if (loop) {
            index[s] = first[s];
            lapShift[s] += lapLength[s];
            heap.replaceTopTime(pointTime(s));
        } else {
            heap.removeTop();
        }
    }

    private long pointTime(int s) {
        return times[s][index[s]] + shift[s] + lapShift[s];
    }

    /** The labels of every series whose lap starts at {@code publishedAt}, then one barrier. */
    private void emitLabels(EventSink sink, long publishedAt) {
        nextLabelsAt = Long.MAX_VALUE;
        for (int s = 0; s < series.size(); s++) {
            if (labelsAt[s] == publishedAt) {
                long by = shift[s] + labelLap[s] * lapLength[s];
                for (TimeWindow w : labels.get(s)) {
                    sink.label(handles[s], publishedAt, w.start() + by, w.end() + by, w.kind());
                }
                labelLap[s]++;
                labelsAt[s] = loop ? publishedAt + lapLength[s] : Long.MAX_VALUE;
            }
            nextLabelsAt = Math.min(nextLabelsAt, labelsAt[s]);
        }
        sink.barrier();
    }
}
