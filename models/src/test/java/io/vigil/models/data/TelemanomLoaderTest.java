package io.vigil.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.datasets.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemanomLoaderTest {

    private static final String HEADER = "chan_id,spacecraft,anomaly_sequences,class,num_values\n";

    @TempDir
    Path root;

    @Test
    void loadsTrainAndTestColumnZeroWithLabelRanges() throws Exception {
        Fixtures.text(root.resolve("labeled_anomalies.csv"), HEADER
                + "P-1,SMAP,\"[[12, 15], [3, 5]]\",\"[contextual, point]\",20\n"
                + "\n"
                + "M-6,MSL,[],[],10\n");
        Fixtures.npy(root.resolve("train/P-1.npy"), Fixtures.ramp(30, 100), 1);
        Fixtures.npy(root.resolve("test/P-1.npy"), Fixtures.ramp(20, 0), 1);
        Fixtures.npy(root.resolve("train/M-6.npy"), Fixtures.ramp(8, 0), 2);
        Fixtures.npy(root.resolve("test/M-6.npy"), Fixtures.ramp(10, 0), 2);

        List<ChannelData> channels = Layout.TELEMANOM.load(root, Layout.Options.defaults());
        assertEquals(2, channels.size());
        ChannelData p1 = channels.get(0);
        assertEquals("P-1", p1.channelId());
        assertEquals("telemanom/SMAP", p1.source());
        assertEquals(30, p1.train().length);
        assertEquals(100, p1.train()[0]);
        assertEquals(129, p1.train()[29]);
        assertArrayEquals(Fixtures.ramp(20, 0)[7], new double[] {p1.test()[7], 1});
        // Column 1, the command flag, is the channel's one input, in both parts.
        assertEquals(List.of("cmd1"), p1.inputs().names());
        assertArrayEquals(new double[] {0, 1, 0, 1}, java.util.Arrays.copyOf(p1.inputs().train()[0], 4));
        assertEquals(1.0, p1.inputs().test()[0][7]);
        assertEquals(0, p1.withoutInputs().inputs().count(), "--value-only leaves the value alone");
        assertNull(p1.trainTimes(), "Telemanom data has indices, not times");
        // Sorted by first index, inclusive ends, classes kept in their row's order.
        assertEquals(List.of(new LabelRange(3, 5, "point"), new LabelRange(12, 15, "contextual")), p1.labels());
        assertEquals(List.of(), channels.get(1).labels());

        List<ChannelData> one = Layout.TELEMANOM.load(root, new Layout.Options(null, 0.15, Set.of("M-6")));
        assertEquals(List.of("M-6"), one.stream().map(ChannelData::channelId).toList());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> Layout.TELEMANOM.load(root, new Layout.Options(null, 0.15, Set.of("X-9"))));
        assertTrue(missing.getMessage().contains("no channel X-9"), missing.getMessage());
    }

    @Test
    void aChannelListedTwiceLikeNasasP2IsTrainedOnceOnTheMergedSequencesWithANote() throws Exception {
        Path labels = Fixtures.text(root.resolve("labeled_anomalies.csv"), HEADER
                + "P-1,SMAP,\"[[12, 15], [3, 5]]\",\"[contextual, point]\",20\n"
                + "P-2,SMAP,\"[[10, 14]]\",[contextual],20\n"
                + "P-2,SMAP,\"[[2, 3], [12, 17]]\",\"[point, contextual]\",20\n");
        for (String channel : List.of("P-1", "P-2")) {
            Fixtures.npy(root.resolve("train/" + channel + ".npy"), Fixtures.ramp(30, 0), 1);
            Fixtures.npy(root.resolve("test/" + channel + ".npy"), Fixtures.ramp(20, 0), 1);
        }

        List<ChannelData> channels = Layout.TELEMANOM.load(root, Layout.Options.defaults());
        assertEquals(List.of("P-1", "P-2"), channels.stream().map(ChannelData::channelId).toList(), "P-2 once");
        ChannelData p2 = channels.get(1);
        assertEquals(List.of(new LabelRange(2, 3, "point"), new LabelRange(10, 17, "contextual")), p2.labels());
        assertEquals(List.of(labels + ": P-2 listed 2 times (lines 3, 4): sequences merged (3 listed, 2 after joining"
                + " overlapping or adjacent ones)"), p2.notes());
        assertEquals(List.of(), channels.get(0).notes(), "the note is P-2's alone");
    }

    @Test
    void badRowsNameTheFileAndLine() throws Exception {
        Fixtures.npy(root.resolve("train/P-1.npy"), Fixtures.ramp(30, 0), 1);
        Fixtures.npy(root.resolve("test/P-1.npy"), Fixtures.ramp(20, 0), 1);
        Path labels = root.resolve("labeled_anomalies.csv");

        assertLine(labels, HEADER + "P-1,SMAP,[[12, 15]],[point],20\n", 2, "expected 5 fields");
        assertLine(labels, HEADER + "P-1,SMAP,\"[[12, 15]\",[point],20\n", 2, "not a list of [first, last]");
        assertLine(labels, HEADER + "P-1,SMAP,\"[[15, 12]]\",[point],20\n", 2, "first <= last");
        assertLine(labels, HEADER + "P-1,SMAP,\"[[12, 20]]\",[point],20\n", 2, "inside 0..19");
        assertLine(labels, HEADER + "P-1,SMAP,\"[[1, 2], [4, 5]]\",[point],20\n", 2, "class lists 1 kind(s) for 2 sequence(s)");
        assertLine(labels, HEADER + "P-1,SMAP,[],[],twenty\n", 2, "num_values 'twenty' is not an integer");
        assertLine(labels, HEADER + "P-1,SMAP,[],[],20\nP-1,SMAP,[],[],21\n", 3,
                "channel 'P-1' has num_values 21 here but 20 on line 2");
        assertLine(labels, HEADER + "P-1,SMAP,\"[[1, 2]],[point],20\n", 2, "unterminated quote");
        assertLine(labels, "chan,craft\n", 1, "missing column 'chan_id'");

        Fixtures.text(labels, HEADER + "P-1,SMAP,[],[],21\n");
        DataFormatException length = assertThrows(DataFormatException.class,
                () -> Layout.TELEMANOM.load(root, Layout.Options.defaults()));
        assertTrue(length.getMessage().contains("test/P-1.npy: has 20 rows but labeled_anomalies.csv line 2 says num_values 21"),
                length.getMessage());

        Fixtures.text(labels, HEADER + "P-1,SMAP,[],[],20\nP-2,SMAP,[],[],20\n");
        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> Layout.TELEMANOM.load(root, Layout.Options.defaults()));
        assertTrue(missing.getMessage().contains("train/P-2.npy: no such file"), missing.getMessage());

        Fixtures.text(labels, HEADER + "P-1,SMAP,[],[],20\n");
        double[][] withNan = Fixtures.ramp(20, 0);
        withNan[4][0] = Double.NaN;
        Fixtures.npy(root.resolve("test/P-1.npy"), withNan, 1);
        DataFormatException nan = assertThrows(DataFormatException.class,
                () -> Layout.TELEMANOM.load(root, Layout.Options.defaults()));
        assertTrue(nan.getMessage().contains("test/P-1.npy: row 4 (0-based), column 0 is NaN; values must be finite"),
                nan.getMessage());

        Files.delete(labels);
        DataFormatException noRoot = assertThrows(DataFormatException.class,
                () -> Layout.TELEMANOM.load(root, Layout.Options.defaults()));
        assertTrue(noRoot.getMessage().contains("not a Telemanom root"), noRoot.getMessage());
    }

    private void assertLine(Path labels, String content, int line, String expected) throws Exception {
        Fixtures.text(labels, content);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Layout.TELEMANOM.load(root, Layout.Options.defaults()));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(labels + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
