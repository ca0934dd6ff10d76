package io.vigil.models.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.data.ChannelData;
import io.vigil.models.data.LabelRange;
import io.vigil.models.data.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandedTelemetryTest {

    private static final CommandedTelemetry.Spec SPEC = new CommandedTelemetry.Spec(2, 24, 600, 1500, 2, 3);

    @TempDir
    Path dir;

    @Test
    void theSameSpecWritesTheSameBytesAndTheTelemanomLoaderReadsThem() throws Exception {
        CommandedTelemetry.write(dir.resolve("a"), SPEC);
        CommandedTelemetry.write(dir.resolve("b"), SPEC);
        for (String file : List.of("labeled_anomalies.csv", "train/C-1.npy", "test/C-2.npy")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)), Files.readAllBytes(dir.resolve("b").resolve(file)), file);
        }
        List<ChannelData> channels = Layout.TELEMANOM.load(dir.resolve("a"), Layout.Options.defaults());
        assertEquals(2, channels.size());
        ChannelData c1 = channels.get(0);
        assertEquals(24, c1.inputs().count());
        assertEquals(600, c1.train().length);
        assertEquals(2, c1.labels().size());
    }

    /**
     * What makes the anomalies contextual: each labeled range starts with a command, no other command
     * comes shortly before or during it, and the value stays where it was for the stuck stretch, where
     * after a followed command it moves by at least the levels' spacing.
     */
    @Test
    void anomaliesAreCommandsTheValueDoesNotFollow() {
        ChannelData c = Layout.TELEMANOM.load(write(), Layout.Options.defaults()).get(1);
        for (LabelRange label : c.labels()) {
            assertTrue(label.first() >= CommandedTelemetry.FIRST_ANOMALY, label.toString());
            assertEquals(1, flags(c.inputs().test(), label.first()), "a command opens " + label);
            for (int t = label.first() - CommandedTelemetry.SETTLE; t <= label.last(); t++) {
                assertEquals(t == label.first() ? 1 : 0, flags(c.inputs().test(), t), "commands at " + t + " in " + label);
            }
            double before = c.test()[label.first()];
            for (int t = label.first(); t < label.first() + CommandedTelemetry.ANOMALY_LENGTH; t++) {
                assertTrue(Math.abs(c.test()[t] - before) < 0.1, "the value stays near " + before + " at " + t);
            }
            double settled = c.test()[label.last()];
            assertTrue(Math.abs(settled - before) > 0.3, "and settles late, to " + settled + " from " + before);
        }
        int commands = 0;
        int moved = 0;
        for (int t = 0; t + 30 < c.train().length; t++) {
            if (flags(c.inputs().train(), t) == 1 && nextCommand(c.inputs().train(), t) > t + 30) {
                commands++;
                moved += Math.abs(c.train()[t + 30] - c.train()[t]) > 0.3 ? 1 : 0;
            }
        }
        assertTrue(commands >= 5, "training sees commands left alone for 30 steps: " + commands);
        assertTrue(moved >= commands - 1, "a followed command moves the value (" + moved + " of " + commands + ")");
    }

    private static int nextCommand(double[][] columns, int t) {
        for (int u = t + 1; u < columns[0].length; u++) {
            if (flags(columns, u) > 0) {
                return u;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int flags(double[][] columns, int t) {
        int set = 0;
        for (double[] column : columns) {
            set += column[t] == 1 ? 1 : 0;
        }
        return set;
    }

    @Test
    void aTestSeriesWithoutRoomForItsAnomaliesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CommandedTelemetry.Spec(1, 24, 600, 800, 2, 1));
    }

    private Path write() {
        Path root = dir.resolve("set");
        CommandedTelemetry.write(root, SPEC);
        return root;
    }
}
