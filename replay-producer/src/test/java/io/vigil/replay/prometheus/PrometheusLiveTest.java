package io.vigil.replay.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.replay.event.RecordingSink;
import io.vigil.replay.event.RecordingSink.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PrometheusLiveTest {

    private static final long STEP = 1000;

    /**
     * A Prometheus that has a sample of series a at every whole second up to the clock, and of b from
     * second 5 on, and answers as a range query does: the grid instants in [start, end]. It can be
     * switched off, and counts the points each query asked for.
     */
    private static final class Tsdb implements RangeQueries {
        final AtomicLong clock = new AtomicLong();
        boolean away;
        /** How long after its time a sample reaches storage; until then an instant shows the sample before. */
        long ingestionDelay;
        final List<long[]> asked = new ArrayList<>();

        @Override
        public List<PrometheusClient.Samples> queryRange(String query, long start, long end, long step) throws IOException {
            if (away) {
                throw new IOException("connection refused");
            }
            asked.add(new long[] {start, end});
            List<PrometheusClient.Samples> out = new ArrayList<>();
            for (String series : List.of("a", "b")) {
                List<Long> times = new ArrayList<>();
                for (long t = start; t <= Math.min(end, clock.get()); t += step) {
                    if (series.equals("a") || t >= 5000) {
                        times.add(t);
                    }
                }
                if (!times.isEmpty()) {
                    out.add(new PrometheusClient.Samples(Map.of("__name__", "m", "s", series),
                            times.stream().mapToLong(Long::longValue).toArray(),
                            times.stream().mapToDouble(t -> stored(t) / 1000.0 + (series.equals("b") ? 100 : 0)).toArray()));
                }
            }
            return out;
        }

        private long stored(long t) {
            return storedSample(this, t);
        }
    }

    /** The time of the latest sample at or before instant t that has reached storage by the clock. */
    private static long storedSample(Tsdb tsdb, long t) {
        return t + tsdb.ingestionDelay <= tsdb.clock.get() ? t : t - STEP;
    }

    private static void poll(PrometheusLive live, RecordingSink sink, Tsdb tsdb, long at) {
        tsdb.clock.set(at);
        assertTrue(live.nextTime() <= at);
        live.emitNext(sink);
    }

    @Test
    void eachPollSendsOnlyTheSamplesAfterTheLastSentAndAChannelWhenItFirstComes() {
        Tsdb tsdb = new Tsdb();
        tsdb.clock.set(2500);
        PrometheusLive live = new PrometheusLive(tsdb, List.of("m"), STEP, new ChannelNaming(List.of("s")), "prom", 0, tsdb.clock::get);
        RecordingSink sink = new RecordingSink();
        live.open(sink);
        for (long at = 2500; at <= 10_500; at += 1000) {
            poll(live, sink, tsdb, at);
        }
        assertEquals(List.of("m/a", "m/b"), sink.channels, "b declared when its first sample came");
        assertEquals(List.of("prom", "prom"), sink.sources);
        List<Long> a = sink.points("m/a").stream().map(Point::time).toList();
        assertEquals(List.of(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L), a, "from the start, none twice");
        assertEquals(List.of(5000L, 6000L, 7000L, 8000L, 9000L), sink.points("m/b").stream().map(Point::time).toList());
        assertEquals(105.0, sink.points("m/b").get(0).value());
    }

    @Test
    void aPollThatFailsLosesNothingTheNextOneStartsWhereTheLastGoodOneEnded() {
        Tsdb tsdb = new Tsdb();
        tsdb.clock.set(10_000);
        PrometheusLive live = new PrometheusLive(tsdb, List.of("m"), STEP, new ChannelNaming(List.of("s")), "prom", 10_000,
                tsdb.clock::get);
        RecordingSink sink = new RecordingSink();
        live.open(sink);
        poll(live, sink, tsdb, 11_000);
        tsdb.away = true;
        for (long at = 12_000; at <= 15_000; at += 1000) {
            poll(live, sink, tsdb, at);
        }
        assertEquals(List.of(10_000L), sink.points("m/a").stream().map(Point::time).toList(), "from 'from'; nothing while away");
        tsdb.away = false;
        poll(live, sink, tsdb, 16_200);
        assertEquals(List.of(10_000L, 11_000L, 12_000L, 13_000L, 14_000L, 15_000L),
                sink.points("m/a").stream().map(Point::time).toList());
        long[] catchUp = tsdb.asked.get(tsdb.asked.size() - 1);
        assertEquals(11_000, catchUp[0], "the gap, from where the last good poll ended");
    }

    @Test
    void anOutageLongerThanOneQueryIsCaughtUpInSeveral() {
        Tsdb tsdb = new Tsdb();
        long start = 0;
        tsdb.clock.set(start);
        PrometheusLive live = new PrometheusLive(tsdb, List.of("m"), STEP, new ChannelNaming(List.of("s")), "prom", start,
                tsdb.clock::get);
        RecordingSink sink = new RecordingSink();
        live.open(sink);
        poll(live, sink, tsdb, start + STEP);
        tsdb.away = true;
        poll(live, sink, tsdb, 2000);
        tsdb.away = false;
        tsdb.asked.clear();
        long later = 30_000_000;
        tsdb.clock.set(later);
        live.emitNext(sink);
        assertTrue(tsdb.asked.size() >= 3, "at 1 s, 30,000 s are three queries of at most 11,000 points: " + tsdb.asked.size());
        for (long[] q : tsdb.asked) {
            assertTrue((q[1] - q[0]) / STEP + 1 <= RangePlan.MAX_POINTS_PER_SERIES);
        }
        assertEquals(later / STEP, sink.points("m/a").size(), "every second since the start but the last, once");
    }

    @Test
    void anInstantIsReadOnceTheScrapesBeforeItHaveReachedStorage() {
        Tsdb tsdb = new Tsdb();
        tsdb.ingestionDelay = 600; // a scrape at t is stored at t + 0.6 s; the polls come 0.1 s after each instant
        tsdb.clock.set(100);
        PrometheusLive live = new PrometheusLive(tsdb, List.of("m"), STEP, new ChannelNaming(List.of("s")), "prom", 0, tsdb.clock::get);
        RecordingSink sink = new RecordingSink();
        live.open(sink);
        for (long at = 100; at <= 8100; at += 1000) {
            poll(live, sink, tsdb, at);
        }
        List<Point> a = sink.points("m/a");
        assertEquals(List.of(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L), a.stream().map(Point::time).toList());
        for (Point p : a) {
            assertEquals(p.time() / 1000.0, p.value(), "the value scraped at " + p.time() + ", not the one before it");
        }
    }
}
