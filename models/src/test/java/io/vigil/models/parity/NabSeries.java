package io.vigil.models.parity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real telemetry series for parity runs: NAB's machine temperature, min-max scaled to [-1, 1]. */
final class NabSeries {

    private static final String FILE = "machine_temperature_system_failure.csv";

    private NabSeries() {}

    /** The first {@code length} values, scaled over the whole file as a release would scale them. */
    static float[] machineTemperature(int length) {
        List<String> lines;
        try {
            lines = Files.readAllLines(locate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] values = lines.stream().skip(1).filter(l -> !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(',') + 1).trim()))
                .toArray();
        if (values.length < length) {
            throw new IllegalStateException(FILE + " has " + values.length + " values, " + length + " needed");
        }
        double min = java.util.Arrays.stream(values).min().orElseThrow();
        double max = java.util.Arrays.stream(values).max().orElseThrow();
        float[] scaled = new float[length];
        for (int t = 0; t < length; t++) {
            scaled[t] = (float) (2 * (values[t] - min) / (max - min) - 1);
        }
        return scaled;
    }

    /** The copy the repository ships, so the test needs nothing beside the checkout; the shared one if not. */
    private static Path locate() {
        Path repo = Path.of("").toAbsolutePath().getParent(); // surefire runs in models/
        for (Path candidate : List.of(
                repo.resolve("replay-producer/demo-data").resolve(FILE),
                repo.resolve("../shared/data/nab/data/realKnownCause").resolve(FILE))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(FILE + " not found under " + repo.resolve("replay-producer/demo-data"));
    }
}
