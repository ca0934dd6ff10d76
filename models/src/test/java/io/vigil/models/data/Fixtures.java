package io.vigil.models.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small data files for the loader tests. */
final class Fixtures {

    private Fixtures() {}

    /** A .npy file of {@code rows} (C order, little-endian float64), format version {@code major}. */
    static Path npy(Path file, double[][] rows, int major) throws IOException {
        int columns = rows.length == 0 ? 1 : rows[0].length;
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows.length + ", " + columns + "), }";
        ByteBuffer data = ByteBuffer.allocate(rows.length * columns * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double v : row) {
                data.putDouble(v);
            }
        }
        return write(file, header(dict, major), data.array());
    }

    /** A .npy file with a hand-written header dict and raw data bytes. */
    static Path npyRaw(Path file, String dict, byte[] data, int major) throws IOException {
        return write(file, header(dict, major), data);
    }

    static byte[] header(String dict, int major) {
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(prefix + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) text.length());
        } else {
            b.putInt(text.length());
        }
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
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

    private static Path write(Path file, byte[] header, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] all = new byte[header.length + data.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(data, 0, all, header.length, data.length);
        return Files.write(file, all);
    }
}
