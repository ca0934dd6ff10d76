package io.vigil.replay.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.datasets.TimeWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabDatasetTest {

    private static final String WINDOWS = """
            {
                "artificialWithAnomaly/art_jump.csv": [
                    [
                        "2014-04-01 00:05:00.000000",
                        "2014-04-01 00:10:00.000000"
                    ]
                ],
                "realKnownCause/machine_temp.csv": [],
                "realTraffic/speed_1.csv": []
            }
            """;

    @TempDir
    Path root;

    private Path labels;

    @BeforeEach
    void fixture() throws IOException {
        csv("artificialWithAnomaly/art_jump.csv", "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,9\n2014-04-01 00:10:00,1\n");
        csv("realKnownCause/machine_temp.csv", "timestamp,value\n2014-04-01 00:00:00,70\n2014-04-01 00:05:00,71\n");
        csv("realTraffic/speed_1.csv", "timestamp,value\n2014-04-01 00:00:00,60\n");
        labels = root.resolve("labels/combined_windows.json");
        Files.createDirectories(labels.getParent());
        Files.writeString(labels, WINDOWS);
    }

    private void csv(String relative, String content) throws IOException {
        Path file = root.resolve("data").resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private List<String> channels(NabDataset.Selection selection) throws IOException {
        return NabDataset.load(root, selection, true).series().stream().map(Series::channelId).toList();
    }

    private String error() {
        return assertThrows(IllegalArgumentException.class, () -> NabDataset.load(root, NabDataset.Selection.all(), true)).getMessage();
    }

    @Test
    void loadsEveryFileAsAChannelNamedAfterItWithItsWindows() throws IOException {
        List<Series> series = NabDataset.load(root, NabDataset.Selection.all(), true).series();
        assertEquals(List.of("art_jump", "machine_temp", "speed_1"), series.stream().map(Series::channelId).toList());
        Series jump = series.get(0);
        assertEquals("nab", jump.source());
        assertEquals(List.of(new TimeWindow(1396310700000L, 1396311000000L, "nab-window")), jump.labels());
        assertEquals(List.of(), series.get(1).labels());
    }

    @Test
    void selectsByGlobAndCategory() throws IOException {
        assertEquals(List.of("machine_temp"), channels(new NabDataset.Selection(List.of("realKnownCause/*"), Set.of())));
        assertEquals(List.of("art_jump", "speed_1"), channels(new NabDataset.Selection(List.of("*/art_*", "realTraffic/speed_1"), Set.of())));
        assertEquals(List.of("speed_1"), channels(new NabDataset.Selection(List.of(), Set.of("realTraffic"))));
        assertEquals(List.of("speed_1"), channels(new NabDataset.Selection(List.of("real*/*"), Set.of("realTraffic"))));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> NabDataset.load(root, new NabDataset.Selection(List.of("nothing/*"), Set.of()), true))
                .getMessage().contains("no NAB data file matches"));
    }

    @Test
    void windowsNamingAMissingFileAreAnErrorWithTheLine() throws IOException {
        Files.writeString(labels, WINDOWS.replace("realTraffic/speed_1.csv", "realTraffic/speed_2.csv"));
        assertEquals(labels + ":9: 'realTraffic/speed_2.csv' names a file that is not in " + root.resolve("data"), error());
    }

    @Test
    void aFileWithoutWindowsIsAnError() throws IOException {
        csv("realTraffic/speed_3.csv", "timestamp,value\n2014-04-01 00:00:00,60\n");
        assertTrue(error().endsWith("speed_3.csv has no entry in " + labels), error());
    }

    @Test
    void malformedWindowsNameTheLine() throws IOException {
        Files.writeString(labels, WINDOWS.replace("\"2014-04-01 00:10:00.000000\"", "\"later\""));
        assertTrue(error().startsWith(labels + ":5: unreadable timestamp 'later'"), error());
        Files.writeString(labels, WINDOWS.replace("\"2014-04-01 00:10:00.000000\"", "\"2014-04-01 00:10:00\", \"2014-04-01 00:20:00\""));
        assertTrue(error().startsWith(labels + ":5: expected a window of exactly two timestamps"), error());
        Files.writeString(labels, WINDOWS.replace("],\n    \"realKnownCause", "]\n    \"realKnownCause"));
        assertTrue(error().startsWith(labels + ":8: not valid JSON"), error());
        Files.writeString(labels, "[]");
        assertTrue(error().startsWith(labels + ":1: expected an object of file names"), error());
    }

    @Test
    void aRootWithoutTheLayoutIsNamed() throws IOException {
        Files.delete(labels);
        assertEquals(root + ": not a NAB root (no labels/combined_windows.json)", error());
    }
}
