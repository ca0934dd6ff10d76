package io.vigil.replay.source;

import static io.vigil.datasets.NpyFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class TelemanomDatasetTest {

    private static final long START = 1_514_764_800_000L; // 2018-01-01T00:00:00Z
    private static final TimeAxis MINUTES = new TimeAxis(START, 60_000);
    private static final String HEADER = "chan_id,spacecraft,anomaly_sequences,class,num_values\n";

    @TempDir
    Path root;

    @BeforeEach
    void fixture() throws IOException {
        Files.createDirectories(root.resolve("test"));
        Files.createDirectories(root.resolve("train"));
        double[][] p1 = new double[10][];
        for (int i = 0; i < 10; i++) {
            p1[i] = new double[] {i / 10.0, i % 2, 0};
        }
        Files.write(root.resolve("test/P-1.npy"), npy(1, p1));
        Files.write(root.resolve("test/M-6.npy"), npy(2, new double[][] {{5}, {6}, {7}, {8}}));
        Files.write(root.resolve("train/P-1.npy"), npy(1, new double[][] {{9, 9, 9}}));
    }

    private void labels(String rows) throws IOException {
        Files.writeString(root.resolve("labeled_anomalies.csv"), HEADER + rows);
    }

    private String error(TelemanomDataset.Selection selection) {
        return assertThrows(IllegalArgumentException.class, () -> TelemanomDataset.load(root, selection, MINUTES)).getMessage();
    }

    @Test
    void replaysTheTestPartOnASyntheticAxisWithIndexLabelsAsTimes() throws IOException {
        labels("P-1,SMAP,\"[[6, 8], [1, 2]]\",\"[contextual, point]\",10\nM-6,MSL,[],[],4\n");
        LoadResult loaded = TelemanomDataset.load(root, TelemanomDataset.Selection.all(), MINUTES);
        Series p1 = loaded.series().get(0);
        assertEquals("P-1", p1.channelId());
        assertEquals("telemanom/SMAP", p1.source());
        assertEquals(10, p1.size());
        assertEquals(START, p1.times()[0]);
        assertEquals(START + 9 * 60_000, p1.times()[9]);
        assertEquals(0.7, p1.values()[7], 1e-12);
        assertArrayEquals(new double[] {1, 0}, p1.inputsAt(7), "columns 1.. are the point's inputs");
        // inclusive index ranges become the exact times of the labeled points, sorted by start
        assertEquals(List.of(new TimeWindow(START + 60_000, START + 120_000, "point"),
                new TimeWindow(START + 360_000, START + 480_000, "contextual")), p1.labels());
        Series m6 = loaded.series().get(1);
        assertArrayEquals(new double[] {5, 6, 7, 8}, m6.values());
        assertEquals(0, m6.inputsAt(0).length, "a one-column array has no inputs");
        assertEquals(List.of(), m6.labels());
    }

    @Test
    void aChannelListedTwiceLikeNasasP2IsReplayedOnceWithMergedWindowsAndAWarning() throws IOException {
        Files.write(root.resolve("test/P-2.npy"), npy(1, new double[10][1]));
        labels("M-6,MSL,[],[],4\n"
                + "P-2,SMAP,\"[[6, 8]]\",[contextual],10\n"
                + "P-2,SMAP,\"[[1, 2], [7, 9]]\",\"[point, contextual]\",10\n");
        LoadResult loaded = TelemanomDataset.load(root, TelemanomDataset.Selection.all(), MINUTES);
        assertEquals(List.of("M-6", "P-2"), loaded.series().stream().map(Series::channelId).toList(), "P-2 once");
        assertEquals(List.of(new TimeWindow(START + 60_000, START + 120_000, "point"),
                new TimeWindow(START + 360_000, START + 540_000, "contextual")), loaded.series().get(1).labels());
        assertEquals(List.of(root.resolve("labeled_anomalies.csv") + ": P-2 listed 2 times (lines 3, 4): sequences merged"
                + " (3 listed, 2 after joining overlapping or adjacent ones)"), loaded.warnings());

        // Not replayed, not warned about.
        LoadResult m6 = TelemanomDataset.load(root, new TelemanomDataset.Selection(Set.of("M-6"), Set.of()), MINUTES);
        assertEquals(List.of(), m6.warnings());
    }

    @Test
    void selectsByChannelAndSpacecraft() throws IOException {
        labels("P-1,SMAP,\"[[6, 8]]\",[point],10\nM-6,MSL,\"[[0, 0]]\",[point],4\n");
        assertEquals(List.of("M-6"), TelemanomDataset.load(root, new TelemanomDataset.Selection(Set.of(), Set.of("msl")), MINUTES)
                .series().stream().map(Series::channelId).toList());
        assertEquals(List.of("P-1"), TelemanomDataset.load(root, new TelemanomDataset.Selection(Set.of("P-1"), Set.of()), MINUTES)
                .series().stream().map(Series::channelId).toList());
        assertTrue(error(new TelemanomDataset.Selection(Set.of("Z-9"), Set.of())).contains("no row for channel(s) [Z-9]"));
    }

    @Test
    void badRowsNameTheFileAndLine() throws IOException {
        Path csv = root.resolve("labeled_anomalies.csv");
        labels("P-1,SMAP,\"[[6, 8]]\",[point],10\nM-6,MSL,\"[[1, oops]]\",[point],4\n");
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(csv + ":3: anomaly_sequences is not a list"));

        labels("P-1,SMAP,\"[[6, 10]]\",[point],10\n");
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(csv + ":2: sequence [6, 10] reaches past num_values 10"));

        labels("P-1,SMAP,\"[[6, 8]]\",\"[point, point]\",10\n");
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(csv + ":2: class lists 2 kind(s) for 1 sequence(s)"));

        labels("P-1,SMAP,\"[[6, 8]],[point],10\n");
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(csv + ":2: unterminated quote"));

        labels("P-1,SMAP,[],[],11\n");
        String mismatch = error(TelemanomDataset.Selection.all());
        assertTrue(mismatch.startsWith(csv + ":2: num_values is 11 but ") && mismatch.endsWith("has 10 rows"), mismatch);

        labels("P-1,SMAP,[],[],10\nQ-7,SMAP,[],[],3\n");
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(csv + ":3: channel 'Q-7' has no test series"));

        labels("P-1,SMAP,[],[],10\nP-1,SMAP,[],[],11\n");
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(csv + ":3: channel 'P-1' has num_values 11 here but 10"
                + " on line 2"));

        Files.writeString(csv, "chan_id,anomaly_sequences\n");
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(csv + ":1: missing column 'spacecraft'"));
    }

    @Test
    void aBrokenTestSeriesIsReportedWithItsFile() throws IOException {
        labels("P-1,SMAP,[],[],10\n");
        byte[] bytes = Files.readAllBytes(root.resolve("test/P-1.npy"));
        Files.write(root.resolve("test/P-1.npy"), java.util.Arrays.copyOf(bytes, bytes.length - 8));
        assertTrue(error(TelemanomDataset.Selection.all()).startsWith(root.resolve("test/P-1.npy") + ": truncated"));
    }
}
