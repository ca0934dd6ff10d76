package io.vigil.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes .npy files the way NumPy does (header padded to a multiple of 64 bytes, ending in a newline). */
public final class NpyFiles {

    private NpyFiles() {}

    /** The bytes of {@code rows} as a 2-D array (C order, little-endian float64), format {@code major}. */
    public static byte[] npy(int major, double[][] rows) {
        return Npy.encode(major, rows);
    }

    /** Writes {@link #npy(int, double[][])} to {@code file}, creating its directory. */
    public static Path write(Path file, double[][] rows, int major) throws IOException {
        return write(file, npy(major, rows));
    }

    /** A file with a hand-written header dict and raw data bytes. */
    public static Path writeRaw(Path file, String dict, byte[] data, int major) throws IOException {
        return write(file, concat(header(dict, major), data));
    }

    public static byte[] header(String dict, int major) {
        return Npy.header(dict, major);
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
