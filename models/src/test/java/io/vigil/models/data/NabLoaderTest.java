package io.vigil.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.datasets.DataFormatException;
import io.vigil.datasets.NabWindows;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabLoaderTest {

    @TempDir
    Path root;

    @Test
    void trainsOnTheProbationaryPeriodAndIndexesLabelsIntoTheTestPart() throws Exception {
        Fixtures.series(root.resolve("data/realKnownCause/quiet.csv"), 100);
        Fixtures.series(root.resolve("data/realKnownCause/early.csv"), 100);
        // Points are 5 minutes apart from 00:00; point i is at minute 5 i.
        Fixtures.text(root.resolve("labels/combined_windows.json"), """
                {
                    "realKnownCause/quiet.csv": [
                        ["2024-01-01 05:00:00.000000", "2024-01-01 05:20:00.000000"]
                    ],
                    "realKnownCause/early.csv": [
                        ["2024-01-01 00:50:00.000000", "2024-01-01 01:00:00.000000"],
                        ["2024-01-01 07:00:00.000000", "2024-01-01 07:02:00.000000"]
                    ],
                    "realTweets/not_copied.csv": []
                }
                """);
        List<ChannelData> channels = Layout.NAB.load(root, Layout.Options.defaults());
        assertEquals(List.of("early", "quiet"), channels.stream().map(ChannelData::channelId).toList());

        ChannelData quiet = channels.get(1);
        assertEquals("nab/realKnownCause", quiet.source());
        assertEquals(15, quiet.train().length, "15 % of 100 points");
        assertEquals(85, quiet.test().length);
        assertEquals(15.0, quiet.test()[0], "the test part continues where training ends");
        assertEquals(quiet.trainTimes()[14] + 300_000, quiet.testTimes()[0]);
        // 05:00 is point 60, 05:20 point 64: test indices 45..49.
        assertEquals(List.of(new LabelRange(45, 49, NabWindows.KIND)), quiet.labels());

        ChannelData early = channels.get(0);
        assertEquals(10, early.train().length, "training stops where the first window (point 10) starts");
        assertTrue(early.notes().stream().anyMatch(n -> n.contains("first labeled window")), early.notes().toString());
        // 00:50..01:00 = points 10..12 -> 0..2; 07:00..07:02 = point 84 only -> 74.
        assertEquals(List.of(new LabelRange(0, 2, NabWindows.KIND), new LabelRange(74, 74, NabWindows.KIND)), early.labels());

        List<ChannelData> byPath = Layout.NAB.load(root, new Layout.Options(null, 0.5, Set.of("realKnownCause/quiet")));
        assertEquals(50, byPath.get(0).train().length);
    }

    @Test
    void skipsRowsWhoseTimeDoesNotIncreaseAndSaysSo() throws Exception {
        Fixtures.text(root.resolve("data/c/dst.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n"
                + "2024-01-01 00:05:00,3\n2024-01-01 00:01:00,4\n2024-01-01 00:10:00,5\n");
        Fixtures.text(root.resolve("labels/combined_windows.json"), "{\"c/dst.csv\": []}");
        ChannelData d = Layout.NAB.load(root, new Layout.Options(null, 0.5, Set.of())).get(0);
        assertArrayEquals(new double[] {1}, d.train());
        assertArrayEquals(new double[] {2, 5}, d.test());
        assertTrue(d.notes().get(0).contains("skipped 2 row(s) whose time does not increase, at line(s) [4, 5]"), d.notes().toString());
    }

    @Test
    void badFilesNameTheFileAndLine() throws Exception {
        Path labels = root.resolve("labels/combined_windows.json");
        Path data = root.resolve("data/c/s.csv");
        Fixtures.series(data, 20);
        Fixtures.text(labels, "{\"c/s.csv\": []}");

        assertBad(data, "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n", data, 3, "value 'abc' is not a number");
        assertBad(data, "timestamp,value\n2024-01-01 00:00:00,1\nyesterday,2\n", data, 3, "unreadable timestamp 'yesterday'");
        assertBad(data, "timestamp,value\n2024-01-01 00:00:00,1,7\n", data, 2, "expected 2 fields");
        assertBad(data, "timestamp,value\n2024-01-01 00:00:00,NaN\n", data, 2, "not finite");
        assertBad(data, "time,value\n", data, 1, "expected the header 'timestamp,value'");
        Fixtures.series(data, 20);

        assertBad(labels, "{\"c/s.csv\": [[\"2024-01-01 00:00:00\", \"2024-01-01 00:05:00\"]\n,}", labels, 2, "not valid JSON");
        assertBad(labels, "{\n\"c/s.csv\": [[\"2024-01-01 00:00:00\"]]}", labels, 2, "expected a timestamp string in 'c/s.csv', found ']'");
        assertBad(labels, "{\n\"c/s.csv\": [\n[\"2024-01-01 00:10:00\", \"2024-01-01 00:00:00\"]]}", labels, 3, "ends before it starts");
        assertBad(labels, "{\n\"c/s.csv\": [\n[\"soon\", \"later\"]]}", labels, 3, "unreadable timestamp 'soon'");
        assertBad(labels, "[]", labels, 1, "expected an object");

        Fixtures.text(labels, "{\"c/other.csv\": []}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Layout.NAB.load(root, Layout.Options.defaults()));
        assertTrue(e.getMessage().contains("no entry for \"c/s.csv\""), e.getMessage());
    }

    private void assertBad(Path file, String content, Path named, int line, String expected) throws Exception {
        Fixtures.text(file, content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Layout.NAB.load(root, Layout.Options.defaults()));
        assertTrue(e.getMessage().startsWith(named + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
