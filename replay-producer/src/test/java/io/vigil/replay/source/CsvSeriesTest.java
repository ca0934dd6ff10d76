package io.vigil.replay.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.datasets.LabelWindows;
import io.vigil.datasets.TimedCsv;
import io.vigil.datasets.TimeWindow;
import io.vigil.datasets.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void readsNabTimestampsAsUtc() throws IOException {
        TimedCsv s = CsvSeries.load(file("a.csv", "timestamp,value\n2014-04-01 00:00:00,1.5\n2014-04-01 00:05:00.000000,2\n"),
                "a", true).data();
        assertEquals(1396310400000L, s.times()[0]);
        assertEquals(300_000L, s.times()[1] - s.times()[0]);
        assertEquals(2.0, s.values()[1]);
    }

    @Test
    void timestampsAlsoComeAsIsoWithAZoneOrAsEpochMillis() {
        assertEquals(1396310400000L, Timestamps.parse("2014-04-01T00:00:00Z"));
        assertEquals(1396310400000L, Timestamps.parse("2014-04-01T02:00:00+02:00"));
        assertEquals(1396310400000L, Timestamps.parse(" 1396310400000 "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("tomorrow"))
                .getMessage().contains("'tomorrow'"));
    }

    @Test
    void badFilesNameTheFileAndLine() throws IOException {
        Path noHeader = file("h.csv", "1,2\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(noHeader, "h", true))
                .getMessage().startsWith(noHeader + ":1:"));
        Path badValue = file("v.csv", "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,abc\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(badValue, "v", true))
                .getMessage().startsWith(badValue + ":3:"));
        Path backwards = file("b.csv", "timestamp,value\n2014-04-01 00:05:00,1\n2014-04-01 00:00:00,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(backwards, "b", true))
                .getMessage().contains(":3: timestamp does not increase"));
        Path badTime = file("t.csv", "timestamp,value\nyesterday,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(badTime, "t", true))
                .getMessage().startsWith(badTime + ":2: unreadable timestamp"));
    }

    @Test
    void nonIncreasingRowsAreSkippedAndReportedUnlessStrict() throws IOException {
        Path dst = file("dst.csv", "timestamp,value\n2014-03-09 01:56:00,1\n2014-03-09 03:00:00,2\n"
                + "2014-03-09 03:00:00,3\n2014-03-09 02:59:00,4\n2014-03-09 03:05:00,5\n");
        TimedCsv lenient = CsvSeries.load(dst, "dst", false).data();
        assertEquals(3, lenient.values().length);
        assertEquals(5.0, lenient.values()[2]);
        assertEquals(List.of(new TimedCsv.Skipped(4, "2014-03-09 03:00:00"), new TimedCsv.Skipped(5, "2014-03-09 02:59:00")),
                lenient.skipped());
        String note = lenient.skippedNote().orElseThrow();
        assertTrue(note.startsWith(dst + ": skipped 2 row(s)") && note.endsWith("at line(s) [4, 5]"), note);
        assertThrows(IllegalArgumentException.class, () -> CsvSeries.load(dst, "dst", true));
    }

    @Test
    void labelFileGivesEachChannelItsWindows() throws IOException {
        Path labels = file("labels.csv", "channel,start,end,kind\n"
                + "# maintenance windows are not anomalies\n"
                + "a,2014-04-01 00:05:00,2014-04-01 00:10:00,spike\n"
                + "b,1396310400000,1396310400000\n"
                + "a,2014-04-01T01:00:00Z,2014-04-01T02:00:00Z,\n");
        Map<String, List<TimeWindow>> windows = LabelWindows.read(labels, Set.of("a", "b"));
        assertEquals(List.of(new TimeWindow(1396310700000L, 1396311000000L, "spike"),
                new TimeWindow(1396314000000L, 1396317600000L, LabelWindows.DEFAULT_KIND)), windows.get("a"));
        assertEquals(List.of(new TimeWindow(1396310400000L, 1396310400000L, "label")), windows.get("b"));
    }

    @Test
    void theShippedDemoLabelsLoadWithTheirLeadingComment() throws IOException {
        Path demo = Path.of("demo-data/labels.csv");
        assertTrue(Files.readString(demo).startsWith("#"), "the demo file opens with a comment line");
        Map<String, List<TimeWindow>> windows = LabelWindows.read(demo, Set.of("art_daily_jumpsup", "art_load_balancer_spikes",
                "ec2_request_latency_system_failure", "machine_temperature_system_failure"));
        assertEquals(List.of(1, 1, 3, 4), windows.values().stream().map(List::size).toList());
        Path late = file("late.csv", "# a comment\n\nname,from,to\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelWindows.read(late, Set.of("a")))
                .getMessage().startsWith(late + ":3: expected the header"), "the header's own line number");
    }

    @Test
    void badLabelRowsNameTheFileAndLine() throws IOException {
        Path header = file("h.csv", "name,from,to\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelWindows.read(header, Set.of("a")))
                .getMessage().startsWith(header + ":1: expected the header"));
        Path unknown = file("u.csv", "channel,start,end\na,0,1\nzz,0,1\n");
        String message = assertThrows(IllegalArgumentException.class, () -> LabelWindows.read(unknown, Set.of("a"))).getMessage();
        assertTrue(message.startsWith(unknown + ":3: channel 'zz' is not one of the series' channels (a)"), message);
        Path backwards = file("b.csv", "channel,start,end\na,2014-04-01 00:10:00,2014-04-01 00:05:00\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelWindows.read(backwards, Set.of("a")))
                .getMessage().startsWith(backwards + ":2: window ends before it starts"));
        Path badTime = file("t.csv", "channel,start,end\na,soon,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelWindows.read(badTime, Set.of("a")))
                .getMessage().startsWith(badTime + ":2: start: unreadable timestamp 'soon'"));
    }
}
