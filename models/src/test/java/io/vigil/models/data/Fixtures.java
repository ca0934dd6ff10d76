package io.vigil.models.data;

import io.vigil.datasets.NpyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small data files for the loader tests. */
final class Fixtures {

    private Fixtures() {}

    /** A .npy file of {@code rows} (C order, little-endian float64), format version {@code major}. */
    static Path npy(Path file, double[][] rows, int major) throws IOException {
        return NpyFiles.write(file, rows, major);
    }

    static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Two-column rows (value, a command flag) with values {@code start, start + 1, ...}. */
    static double[][] ramp(int n, double start) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new double[] {start + i, i % 2};
        }
        return rows;
    }

    /** A {@code timestamp,value} file of {@code n} five-minute points from 2024-01-01 00:00, values 0, 1, 2... */
    static Path series(Path file, int n) throws IOException {
        StringBuilder s = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < n; i++) {
            s.append(String.format("2024-01-01 %02d:%02d:00,%d%n", i * 5 / 60, i * 5 % 60, i));
        }
        return text(file, s.toString());
    }
}
