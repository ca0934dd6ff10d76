package io.vigil.replay.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.datasets.TimeWindow;
import io.vigil.replay.event.RecordingSink;
import io.vigil.replay.event.RecordingSink.Event;
import io.vigil.replay.event.RecordingSink.Label;
import io.vigil.replay.event.RecordingSink.Point;
import io.vigil.replay.source.Series;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayScheduleTest {

    private static Series series(String id, long[] times, List<TimeWindow> labels) {
        double[] values = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            values[i] = times[i] / 10.0;
        }
        return new Series(id, "test", times, values, labels);
    }

    @Test
    void mergesChannelsInEventTimeOrderTiesInTheOrderGiven() {
        Series a = series("a", new long[] {0, 1000, 2000}, List.of());
        Series b = series("b", new long[] {500, 1000, 1500}, List.of());
        RecordingSink sink = RecordingSink.drain(new ReplaySchedule(List.of(a, b), ReplaySchedule.Options.plain()), 100);
        assertEquals(List.of("a", "b", "a", "b", "b", "a"), sink.points().stream().map(Point::channel).toList());
        assertEquals(List.of(0L, 500L, 1000L, 1000L, 1500L, 2000L), sink.points().stream().map(Point::time).toList());
        assertEquals(100.0, sink.points().get(2).value());
    }

    @Test
    void eachPointCarriesItsRowsInputsAcrossLaps() {
        long[] times = {0, 1000, 2000};
        Series commanded = new Series("c", "test", times, new double[] {1, 2, 3}, List.of(),
                new double[][] {{1, 0}, {0, 1}, {0, 0}});
        RecordingSink sink = RecordingSink.drain(new ReplaySchedule(List.of(commanded, series("plain", times, List.of())),
                new ReplaySchedule.Options(true, null, io.vigil.replay.schedule.StartOffset.NONE)), 12);
        List<Point> c = sink.points().stream().filter(p -> p.channel().equals("c")).toList();
        assertEquals(List.of(1.0, 0.0), c.get(0).inputs());
        assertEquals(List.of(0.0, 1.0), c.get(1).inputs());
        assertEquals(List.of(1.0, 0.0), c.get(3).inputs(), "the second lap repeats the first one's inputs");
        assertTrue(sink.points().stream().filter(p -> p.channel().equals("plain")).allMatch(p -> p.inputs().isEmpty()));
    }

    @Test
    void eachSeriesLabelsComeJustBeforeItsFirstPointThenABarrier() {
        Series a = series("a", new long[] {100, 200, 300}, List.of(new TimeWindow(200, 300, "spike")));
        Series b = series("b", new long[] {150, 250}, List.of(new TimeWindow(150, 150, "dip")));
        RecordingSink sink = RecordingSink.drain(new ReplaySchedule(List.of(a, b), ReplaySchedule.Options.plain()), 100);
        assertEquals(new Label("a", 100, 200, 300, "spike"), sink.events.get(0));
        assertInstanceOf(RecordingSink.Barrier.class, sink.events.get(1));
        assertEquals(new Point("a", 100, 10.0), sink.events.get(2));
        assertEquals(new Label("b", 150, 150, 150, "dip"), sink.events.get(3));
        assertInstanceOf(RecordingSink.Barrier.class, sink.events.get(4));
        assertEquals(5, sink.points().size());
        assertEquals(9, sink.events.size());
    }

    @Test
    void labelsOfSeriesThatStartTogetherShareOneBarrier() {
        Series a = series("a", new long[] {100, 200}, List.of(new TimeWindow(200, 200, "x")));
        Series b = series("b", new long[] {7000, 7100}, List.of(new TimeWindow(7000, 7100, "y")));
        RecordingSink sink = RecordingSink.drain(new ReplaySchedule(List.of(a, b),
                new ReplaySchedule.Options(false, 50_000L, StartOffset.NONE)), 100);
        assertEquals(List.of(new Label("a", 50_000, 50_100, 50_100, "x"), new Label("b", 50_000, 50_000, 50_100, "y")),
                sink.events.subList(0, 2));
        assertInstanceOf(RecordingSink.Barrier.class, sink.events.get(2));
        assertEquals(4, sink.points().size());
        assertEquals(7, sink.events.size());
    }

    @Test
    void everySeriesLapsOnItsOwnSoAShortSeriesIsNeverSilentForLong() {
        Series a = series("a", new long[] {100, 200}, List.of(new TimeWindow(200, 200, "x")));
        Series b = series("b", new long[] {5000, 5100, 5200}, List.of());
        ReplaySchedule schedule = new ReplaySchedule(List.of(a, b), new ReplaySchedule.Options(true, 1_000_000L, StartOffset.NONE));
        // aligned: both start at 1,000,000; each lap is the series' span plus its first step
        assertEquals(200, schedule.lapLength(0));
        assertEquals(300, schedule.lapLength(1));
        RecordingSink sink = RecordingSink.drain(schedule, 40);
        List<Long> aTimes = sink.points("a").stream().map(Point::time).toList();
        assertEquals(List.of(1_000_000L, 1_000_100L, 1_000_200L, 1_000_300L, 1_000_400L, 1_000_500L), aTimes.subList(0, 6));
        List<Long> bTimes = sink.points("b").stream().map(Point::time).toList();
        assertEquals(List.of(1_000_000L, 1_000_100L, 1_000_200L, 1_000_300L, 1_000_400L, 1_000_500L, 1_000_600L), bTimes.subList(0, 7));
        assertEquals(List.of(new Label("a", 1_000_000, 1_000_100, 1_000_100, "x"), new Label("a", 1_000_200, 1_000_300, 1_000_300, "x"),
                new Label("a", 1_000_400, 1_000_500, 1_000_500, "x")), sink.labels().subList(0, 3));
        // each lap's label is emitted after every point before its lap starts and before any point from then on
        for (Label label : sink.labels()) {
            int at = sink.events.indexOf(label);
            for (int i = 0; i < sink.events.size(); i++) {
                Event e = sink.events.get(i);
                if (e instanceof Point p) {
                    assertTrue(i < at ? p.time() < label.publishedAt() : p.time() >= label.publishedAt(), "point " + p + " vs " + label);
                }
            }
        }
    }

    @Test
    void aOnePointSeriesLapsAtTheSetsSmallestStepNotEveryMillisecond() {
        Series a = series("a", new long[] {100, 250}, List.of());
        Series one = series("one", new long[] {5000}, List.of());
        ReplaySchedule schedule = new ReplaySchedule(List.of(a, one), new ReplaySchedule.Options(true, null, StartOffset.NONE));
        assertEquals(300, schedule.lapLength(0));
        assertEquals(150, schedule.lapLength(1), "a's first step");
        ReplaySchedule alone = new ReplaySchedule(List.of(one), new ReplaySchedule.Options(true, null, StartOffset.NONE));
        assertEquals(ReplaySchedule.SINGLE_POINT_STEP_MS, alone.lapLength(0));
        RecordingSink sink = RecordingSink.drain(alone, 3);
        assertEquals(List.of(5000L, 6000L, 7000L), sink.points().stream().map(Point::time).toList());
    }

    @Test
    void startOffsetSkipsPointsOrDataTimePerSeriesAndDropsOldLabels() {
        Series a = series("a", new long[] {0, 60_000, 120_000, 180_000}, List.of(new TimeWindow(0, 60_000, "early"),
                new TimeWindow(60_000, 120_000, "overlapping")));
        Series b = series("b", new long[] {30_000, 90_000}, List.of());
        RecordingSink byPoints = RecordingSink.drain(new ReplaySchedule(List.of(a, b),
                new ReplaySchedule.Options(false, null, StartOffset.parse("1"))), 100);
        assertEquals(List.of(60_000L, 120_000L, 180_000L), byPoints.points("a").stream().map(Point::time).toList());
        assertEquals(List.of(90_000L), byPoints.points("b").stream().map(Point::time).toList());
        assertEquals(List.of("early", "overlapping"), byPoints.labels().stream().map(Label::kind).toList());

        ReplaySchedule byTime = new ReplaySchedule(List.of(a, b), new ReplaySchedule.Options(false, null, StartOffset.parse("90s")));
        RecordingSink sink = RecordingSink.drain(byTime, 100);
        assertEquals(List.of(120_000L, 180_000L), sink.points("a").stream().map(Point::time).toList());
        assertEquals(List.of("overlapping"), sink.labels().stream().map(Label::kind).toList());
        assertEquals(List.of(), sink.points("b"));
        assertEquals(1, byTime.dropped().size());
        assertTrue(byTime.dropped().get(0).startsWith("b: the start offset PT1M30S skips all 2 points"));

        assertThrows(IllegalArgumentException.class, () -> new ReplaySchedule(List.of(b),
                new ReplaySchedule.Options(false, null, StartOffset.parse("2"))));
        assertEquals(Duration.ofHours(2), StartOffset.parse("2h").duration());
    }

    @Test
    void alignmentMovesTheFirstReplayedPointAndItsLabelsTogether() {
        Series a = series("a", new long[] {1000, 2000, 3000}, List.of(new TimeWindow(2000, 3000, "x")));
        RecordingSink sink = RecordingSink.drain(new ReplaySchedule(List.of(a),
                new ReplaySchedule.Options(false, 50_000L, StartOffset.parse("1"))), 100);
        assertEquals(List.of(50_000L, 51_000L), sink.points().stream().map(Point::time).toList());
        assertEquals(List.of(new Label("a", 50_000, 50_000, 51_000, "x")), sink.labels());
    }
}
