package io.vigil.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.datasets.DataFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheLocalStacksDemoDataWithItsCommentedLabels() {
        Path demo = Path.of("../replay-producer/demo-data");
        List<ChannelData> all = Layout.CSV.load(demo, new Layout.Options(demo.resolve("labels.csv"), 0.15, Set.of()));
        assertEquals(List.of("art_daily_jumpsup", "art_load_balancer_spikes", "ec2_request_latency_system_failure",
                "machine_temperature_system_failure"), all.stream().map(ChannelData::channelId).toList());
        // machine_temperature's training part ends where its first window starts: all four are in the test series
        assertEquals(List.of(1, 1, 3, 4), all.stream().map(c -> c.labels().size()).toList());
        assertEquals(2126, all.get(3).train().length);
    }

    @Test
    void loadsADirectoryOrOneFileWithOptionalLabels() throws Exception {
        Fixtures.series(dir.resolve("series/pump-1.csv"), 40);
        Fixtures.series(dir.resolve("series/pump-2.csv"), 40);
        Path labels = Fixtures.text(dir.resolve("labels.csv"), "channel,start,end,kind\n"
                + "pump-2,2024-01-01T02:00:00Z,1704074700000,spike\n");
        List<ChannelData> all = Layout.CSV.load(dir.resolve("series"), new Layout.Options(labels, 0.25, Set.of()));
        assertEquals(List.of("pump-1", "pump-2"), all.stream().map(ChannelData::channelId).toList());
        assertEquals(10, all.get(0).train().length);
        assertEquals(List.of(), all.get(0).labels());
        // 02:00 is point 24, 1704074700000 ms = 02:05 is point 25; test starts at point 10.
        assertEquals(List.of(new LabelRange(14, 15, "spike")), all.get(1).labels());

        List<ChannelData> one = Layout.CSV.load(dir.resolve("series/pump-1.csv"), new Layout.Options(null, 0.5, Set.of()));
        assertEquals(20, one.get(0).train().length);
        assertEquals("csv", one.get(0).source());
    }

    @Test
    void columnsAfterTheValueAreInputsSplitLikeTheValues() throws Exception {
        StringBuilder rows = new StringBuilder("timestamp,value,valve_open,setpoint\n");
        for (int i = 0; i < 20; i++) {
            rows.append(1_704_067_200_000L + 60_000L * i).append(',').append(i).append(',').append(i % 2).append(',')
                    .append(10 + i).append('\n');
        }
        Fixtures.text(dir.resolve("pump-1.csv"), rows.toString());
        ChannelData pump = Layout.CSV.load(dir.resolve("pump-1.csv"), new Layout.Options(null, 0.25, Set.of())).get(0);
        assertEquals(List.of("valve_open", "setpoint"), pump.inputs().names());
        assertEquals(5, pump.inputs().train()[1].length);
        assertEquals(14.0, pump.inputs().train()[1][4]);
        assertEquals(15.0, pump.inputs().test()[1][0], "the test part's inputs start where its values do");
        assertEquals(pump.test().length, pump.inputs().test()[0].length);

        Fixtures.text(dir.resolve("bad/pump-2.csv"), "timestamp,value,valve\n1704067200000,1\n");
        var e = assertThrows(io.vigil.datasets.DataFormatException.class,
                () -> Layout.CSV.load(dir.resolve("bad"), Layout.Options.defaults()));
        assertTrue(e.getMessage().contains("expected 3 fields"), e.getMessage());
    }

    @Test
    void badLabelsNameTheFileAndLine() throws Exception {
        Fixtures.series(dir.resolve("pump-1.csv"), 40);
        assertBad("channel,start,end\npump-9,2024-01-01 00:00:00,2024-01-01 00:10:00\n", 2, "channel 'pump-9' is not one of the series' channels (pump-1)");
        assertBad("channel,start,end\npump-1,2024-01-01 00:10:00,2024-01-01 00:00:00\n", 2, "ends before it starts");
        assertBad("channel,start,end\n\npump-1,2024-01-01 00:10:00\n", 3, "expected 3 fields");
        assertBad("chan,from,to\n", 1, "expected the header 'channel,start,end'");

        var e = assertThrows(DataFormatException.class, () -> Layout.CSV.load(dir.resolve("nothing"), Layout.Options.defaults()));
        assertTrue(e.getMessage().contains("no such file or directory"), e.getMessage());
        var tooMuch = assertThrows(IllegalArgumentException.class, () -> Layout.NAB.load(dir,
                new Layout.Options(dir.resolve("pump-1.csv"), 0.15, Set.of())));
        assertTrue(tooMuch.getMessage().contains("labels file is for the csv layout"), tooMuch.getMessage());
    }

    private void assertBad(String labels, int line, String expected) throws Exception {
        Path file = Fixtures.text(dir.resolve("labels/l.csv"), labels);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Layout.CSV.load(dir, new Layout.Options(file, 0.15, Set.of())));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
