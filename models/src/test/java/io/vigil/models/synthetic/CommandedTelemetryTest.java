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
     * What makes the anomalies contextual: each labeled range holds a level change of the value that
     * is as large as commanded ones, and no command flag is set in it or just before it.
     */
    @Test
    void anomaliesAreLevelChangesThatNoCommandCalledFor() {
        ChannelData c = Layout.TELEMANOM.load(write(), Layout.Options.defaults()).get(1);
        for (LabelRange label : c.labels()) {
            assertTrue(label.first() >= CommandedTelemetry.FIRST_ANOMALY, label.toString());
            for (int t = label.first() - CommandedTelemetry.SETTLE; t <= label.last(); t++) {
                for (int k = 0; k < c.inputs().count(); k++) {
                    assertEquals(0.0, c.inputs().test()[k][t], "command " + k + " at " + t + " in " + label);
                }
            }
            double before = c.test()[label.first()];
            double far = before;
            for (int t = label.first(); t < label.first() + CommandedTelemetry.ANOMALY_LENGTH; t++) {
                far = Math.abs(c.test()[t] - before) > Math.abs(far - before) ? c.test()[t] : far;
            }
            assertTrue(Math.abs(far - before) > 0.2, "the value moves by " + (far - before) + " in " + label);
        }
        int commands = 0;
        for (int t = 0; t < c.train().length; t++) {
            for (int k = 0; k < c.inputs().count(); k++) {
                commands += c.inputs().train()[k][t] == 1 ? 1 : 0;
            }
        }
        assertTrue(commands >= 3, "training sees commands: " + commands);
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
