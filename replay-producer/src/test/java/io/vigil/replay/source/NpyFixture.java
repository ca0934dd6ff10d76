package io.vigil.replay.source;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes .npy bytes the way NumPy does (header padded to a multiple of 64 bytes, ending in a newline). */
public final class NpyFixture {

    private NpyFixture() {
    }

    public static byte[] npy(int version, double[][] rows) {
        int columns = rows.length == 0 ? 1 : rows[0].length;
        return npy(version, "<f8", "(" + rows.length + ", " + columns + ")", flatten(rows));
    }

    static byte[] npy(int version, String descr, String shape, double[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int prefix = version == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        ByteBuffer length = ByteBuffer.allocate(version == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) {
            length.putShort((short) header.length());
        } else {
            length.putInt(header.length());
        }
        out.writeBytes(length.array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer body = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) {
            body.putDouble(v);
        }
        out.writeBytes(body.array());
        return out.toByteArray();
    }

    private static double[] flatten(double[][] rows) {
        int columns = rows.length == 0 ? 1 : rows[0].length;
        double[] flat = new double[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * columns, columns);
        }
        return flat;
    }
}
