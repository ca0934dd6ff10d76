package io.vigil.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes .npy files the way NumPy does (header padded to a multiple of 64 bytes, ending in a newline). */
public final class NpyFiles {

    private NpyFiles() {}

    /** The bytes of {@code rows} as a 2-D array (C order, little-endian float64), format {@code major}. */
    public static byte[] npy(int major, double[][] rows) {
        int columns = rows.length == 0 ? 1 : rows[0].length;
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows.length + ", " + columns + "), }";
        ByteBuffer data = ByteBuffer.allocate(rows.length * columns * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double v : row) {
                data.putDouble(v);
            }
        }
        return concat(header(dict, major), data.array());
    }

    /** Writes {@link #npy(int, double[][])} to {@code file}, creating its directory. */
    public static Path write(Path file, double[][] rows, int major) throws IOException {
        return write(file, npy(major, rows));
    }

    /** A file with a hand-written header dict and raw data bytes. */
    public static Path writeRaw(Path file, String dict, byte[] data, int major) throws IOException {
        return write(file, concat(header(dict, major), data));
    }

    /** The magic, version, header length and the padded header dict. */
    public static byte[] header(String dict, int major) {
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
