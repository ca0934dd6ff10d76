package io.vigil.replay;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The order and timing of a replay: the points of all series merged in event-time order, each with the
 * moment (relative to the replay's start) it is due at the given speed. Optionally every series is
 * shifted so its first point lands at {@code alignTo} (a live-looking replay of old data), and the
 * whole set repeats, each lap shifted by the longest series' span plus one step so event times keep
 * increasing per channel.
 */
public final class ReplaySchedule implements Iterable<ReplaySchedule.Point> {

    /** One point to send: when (nanoseconds after the replay starts; 0 for as fast as possible) and what. */
    public record Point(String channelId, long eventTime, double value, long dueNanos) {}

    private final List<CsvSeries> series;
    private final double speed;
    private final boolean loop;
    private final long[] shift;
    private final long origin;
    private final long lapLength;

    /**
     * @param speed replay speed factor (1 = real time); 0 or less means as fast as possible
     * @param alignTo epoch millis to move every series' first point to, or null to keep original times
     */
    public ReplaySchedule(List<CsvSeries> series, double speed, boolean loop, Long alignTo) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("nothing to replay");
        }
        this.series = List.copyOf(series);
        this.speed = speed;
        this.loop = loop;
        this.shift = new long[series.size()];
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long step = Long.MAX_VALUE;
        for (int i = 0; i < series.size(); i++) {
            CsvSeries s = series.get(i);
            shift[i] = alignTo == null ? 0 : alignTo - s.times()[0];
            first = Math.min(first, s.times()[0] + shift[i]);
            last = Math.max(last, s.times()[s.size() - 1] + shift[i]);
            if (s.size() > 1) {
                step = Math.min(step, s.times()[1] - s.times()[0]);
            }
        }
        this.origin = first;
        this.lapLength = last - first + (step == Long.MAX_VALUE ? 1 : step);
    }

    @Override
    public Iterator<Point> iterator() {
        return new Iterator<>() {
            private record Cursor(int series, int index, int lap, long time) {}

            private final PriorityQueue<Cursor> heads = new PriorityQueue<>(
                    (a, b) -> a.time() != b.time() ? Long.compare(a.time(), b.time()) : Integer.compare(a.series(), b.series()));

            {
                for (int i = 0; i < series.size(); i++) {
                    heads.add(cursor(i, 0, 0));
                }
            }

            private Cursor cursor(int s, int index, int lap) {
                return new Cursor(s, index, lap, series.get(s).times()[index] + shift[s] + lap * lapLength);
            }

            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public Point next() {
                Cursor c = heads.poll();
                if (c == null) {
                    throw new NoSuchElementException();
                }
                CsvSeries s = series.get(c.series());
                if (c.index() + 1 < s.size()) {
                    heads.add(cursor(c.series(), c.index() + 1, c.lap()));
                } else if (loop) {
                    heads.add(cursor(c.series(), 0, c.lap() + 1));
                }
                long due = speed > 0 ? (long) ((c.time() - origin) * 1_000_000.0 / speed) : 0;
                return new Point(s.channelId(), c.time(), s.values()[c.index()], due);
            }
        };
    }
}
