package io.vigil.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayScheduleTest {

    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void readsNabTimestampsAsUtc() throws IOException {
        CsvSeries s = CsvSeries.load(csv("a.csv", "timestamp,value\n2014-04-01 00:00:00,1.5\n2014-04-01 00:05:00.000000,2\n"), "a");
        assertEquals(1396310400000L, s.times()[0]);
        assertEquals(300_000L, s.times()[1] - s.times()[0]);
        assertEquals(2.0, s.values()[1]);
    }

    @Test
    void badFilesNameTheFileAndLine() throws IOException {
        Path noHeader = csv("h.csv", "1,2\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(noHeader, "h"))
                .getMessage().startsWith(noHeader + ":1:"));
        Path badValue = csv("v.csv", "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,abc\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(badValue, "v"))
                .getMessage().startsWith(badValue + ":3:"));
        Path backwards = csv("b.csv", "timestamp,value\n2014-04-01 00:05:00,1\n2014-04-01 00:00:00,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(backwards, "b"))
                .getMessage().contains(":3: timestamp does not increase"));
        Path badTime = csv("t.csv", "timestamp,value\nyesterday,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(badTime, "t"))
                .getMessage().startsWith(badTime + ":2: unreadable timestamp"));
    }

    @Test
    void nonIncreasingRowsAreSkippedAndReportedUnlessStrict() throws IOException {
        Path dst = csv("dst.csv", "timestamp,value\n2014-03-09 01:56:00,1\n2014-03-09 03:00:00,2\n"
                + "2014-03-09 03:00:00,3\n2014-03-09 02:59:00,4\n2014-03-09 03:05:00,5\n");
        CsvSeries lenient = CsvSeries.load(dst, "dst", false);
        assertEquals(3, lenient.size());
        assertEquals(5.0, lenient.values()[2]);
        assertEquals(2, lenient.skippedRows().size());
        assertTrue(lenient.skippedRows().get(0).startsWith(dst + ":4:"), lenient.skippedRows().get(0));
        assertTrue(lenient.skippedRows().get(1).startsWith(dst + ":5:"), lenient.skippedRows().get(1));
        assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(dst, "dst", true));
    }

    @Test
    void mergesChannelsInEventTimeOrderWithDueTimesFromSpeed() {
        CsvSeries a = new CsvSeries("a", new long[] {0, 1000, 2000}, new double[] {1, 2, 3});
        CsvSeries b = new CsvSeries("b", new long[] {500, 1500}, new double[] {10, 20});
        List<ReplaySchedule.Point> points = new ArrayList<>();
        new ReplaySchedule(List.of(a, b), 10, false, null).forEach(points::add);
        assertEquals(List.of("a", "b", "a", "b", "a"), points.stream().map(ReplaySchedule.Point::channelId).toList());
        assertEquals(List.of(0L, 500L, 1000L, 1500L, 2000L), points.stream().map(ReplaySchedule.Point::eventTime).toList());
        // 1,500 ms of event time at 10x is due 150 ms after the start.
        assertEquals(150_000_000L, points.get(3).dueNanos());
    }

    @Test
    void loopingKeepsEventTimesIncreasingAndAlignmentShiftsEverySeries() {
        CsvSeries a = new CsvSeries("a", new long[] {100, 200}, new double[] {1, 2});
        CsvSeries b = new CsvSeries("b", new long[] {5000, 5100, 5200}, new double[] {7, 8, 9});
        List<ReplaySchedule.Point> points = new ArrayList<>();
        for (ReplaySchedule.Point p : new ReplaySchedule(List.of(a, b), 0, true, 1_000_000L)) {
            points.add(p);
            if (points.size() == 10) {
                break;
            }
        }
        List<Long> aTimes = points.stream().filter(p -> p.channelId().equals("a")).map(ReplaySchedule.Point::eventTime).toList();
        List<Long> bTimes = points.stream().filter(p -> p.channelId().equals("b")).map(ReplaySchedule.Point::eventTime).toList();
        assertEquals(1_000_000L, aTimes.get(0));
        assertEquals(1_000_000L, bTimes.get(0));
        // lap = span of the aligned set (200) + smallest step (100)
        assertEquals(List.of(1_000_000L, 1_000_100L, 1_000_300L, 1_000_400L), aTimes.subList(0, 4));
        for (int i = 1; i < bTimes.size(); i++) {
            assertTrue(bTimes.get(i) > bTimes.get(i - 1));
        }
        assertTrue(points.stream().allMatch(p -> p.dueNanos() == 0), "speed 0 sends as fast as possible");
    }
}
