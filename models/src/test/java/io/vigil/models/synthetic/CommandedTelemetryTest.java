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
     * What makes the anomalies contextual: each labeled range starts with a change of the command in
     * force, no other change comes shortly before or during it, and the value stays where it was for
     * the stuck stretch, where after a followed command it moves by at least the levels' spacing.
     */
    @Test
    void anomaliesAreCommandsTheValueDoesNotFollow() {
        ChannelData c = Layout.TELEMANOM.load(write(), Layout.Options.defaults()).get(1);
        double[][] test = c.inputs().test();
        for (LabelRange label : c.labels()) {
            assertTrue(label.first() >= CommandedTelemetry.FIRST_ANOMALY, label.toString());
            for (int t = label.first() - CommandedTelemetry.SETTLE; t <= label.last(); t++) {
                assertEquals(1, flags(test, t), "one command in force at " + t);
                assertEquals(t == label.first(), inForce(test, t) != inForce(test, t - 1), "a change at " + t + " in " + label);
            }
            double before = c.test()[label.first()];
            for (int t = label.first(); t < label.first() + CommandedTelemetry.ANOMALY_LENGTH; t++) {
                assertTrue(Math.abs(c.test()[t] - before) < 0.1, "the value stays near " + before + " at " + t);
            }
            double settled = c.test()[label.last()];
            assertTrue(Math.abs(settled - before) > 0.3, "and settles late, to " + settled + " from " + before);
        }
        double[][] train = c.inputs().train();
        int changes = 0;
        int moved = 0;
        for (int t = 1; t + 30 < c.train().length; t++) {
            if (inForce(train, t) != inForce(train, t - 1) && keptFor(train, t, 30)) {
                changes++;
                moved += Math.abs(c.train()[t + 30] - c.train()[t]) > 0.3 ? 1 : 0;
            }
        }
        assertTrue(changes >= 5, "training sees commands left in force for 30 steps: " + changes);
        assertEquals(changes, moved, "a followed command moves the value");
        for (int k = CommandedTelemetry.USED_COMMANDS; k < train.length; k++) {
            for (double v : train[k]) {
                assertEquals(0.0, v, "column " + (k + 1) + " is never set");
            }
        }
    }

    private static boolean keptFor(double[][] columns, int t, int steps) {
        for (int u = t + 1; u <= t + steps; u++) {
            if (inForce(columns, u) != inForce(columns, t)) {
                return false;
            }
        }
        return true;
    }

    private static int inForce(double[][] columns, int t) {
        for (int k = 0; k < columns.length; k++) {
            if (columns[k][t] == 1) {
                return k;
            }
        }
        return -1;
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
