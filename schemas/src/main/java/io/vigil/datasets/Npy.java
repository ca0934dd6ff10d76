package io.vigil.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1, 2 and 3): a 1-D array, or a 2-D array
 * whose first column is the value and the others its input features (Telemanom's SMAP/MSL files: the
 * value, then one-hot command flags; {@link Table}). Elements are float64 or float32, either byte
 * order, C or Fortran order. Shared by the trainer and the replay producer, so both read a data set
 * alike.
 *
 * <p>The header is the Python dict literal NumPy writes, e.g.
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2872, 25), }}, after the magic
 * {@code \x93NUMPY}, the version and the header length (2 bytes in version 1, 4 in later ones, little
 * endian). Anything else (object arrays, other dtypes, 3-D arrays, truncated or over-long data) is a
 * {@link DataFormatException} naming the file and what is wrong. Values are returned as stored, NaN
 * included: whether a NaN is an error is the reader's caller's rule (the trainer refuses one, a replay
 * sends it on for the scorer to dead-letter).
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * Every column of an array of {@code rows} x {@code columns}: {@code columns[c][r]} is element
     * {@code (r, c)}; a 1-D array is one column.
     */
    public record Table(int rows, double[][] columns) {

        /** Column 0: the value, in Telemanom's layout. */
        public double[] values() {
            return columns[0];
        }

        /** Columns 1..: the input features beside the value (Telemanom's command flags), column by column. */
        public double[][] inputColumns() {
            return Arrays.copyOfRange(columns, 1, columns.length);
        }

        /** The same inputs row by row, {@code [row][input]}: what a point carries. No rows when there are none. */
        public double[][] inputRows() {
            int inputs = columns.length - 1;
            if (inputs == 0) {
                return new double[0][];
            }
            double[][] rows = new double[this.rows][inputs];
            for (int r = 0; r < this.rows; r++) {
                for (int k = 0; k < inputs; k++) {
                    rows[r][k] = columns[k + 1][r];
                }
            }
            return rows;
        }
    }

    private Npy() {}

    /** Every column: Telemanom's arrays are the value (column 0) and the command inputs beside it. */
    public static Table read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return parse(file, bytes);
    }

    static Table parse(Path file, byte[] bytes) {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw new DataFormatException(file, "not a .npy file (no \\x93NUMPY magic at byte 0)");
        }
        int major = bytes[6] & 0xff;
        int headerLength;
        int headerStart;
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            headerLength = le.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new DataFormatException(file, "truncated .npy header");
            }
            long length = le.getInt(8) & 0xffffffffL;
            if (length > Integer.MAX_VALUE) {
                throw new DataFormatException(file, "header length " + length + " is not plausible");
            }
            headerLength = (int) length;
            headerStart = 12;
        } else {
            throw new DataFormatException(file, ".npy format version " + major + "." + (bytes[7] & 0xff)
                    + " is not supported (1, 2 and 3 are)");
        }
        int dataStart = headerStart + headerLength;
        if (dataStart > bytes.length) {
            throw new DataFormatException(file, "header of " + headerLength + " bytes runs past the end of the "
                    + bytes.length + "-byte file");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "'descr'");
        boolean fortran = group(file, FORTRAN, header, "'fortran_order'").equals("True");
        long[] shape = shape(file, group(file, SHAPE, header, "'shape'"));

        ByteOrder order;
        int itemSize;
        switch (descr) {
            case "<f8" -> { order = ByteOrder.LITTLE_ENDIAN; itemSize = 8; }
            case ">f8" -> { order = ByteOrder.BIG_ENDIAN; itemSize = 8; }
            case "<f4" -> { order = ByteOrder.LITTLE_ENDIAN; itemSize = 4; }
            case ">f4" -> { order = ByteOrder.BIG_ENDIAN; itemSize = 4; }
            default -> throw new DataFormatException(file, "element type '" + descr
                    + "' is not supported: expected float64 ('<f8') or float32 ('<f4')");
        }
        if (shape.length == 0 || shape.length > 2) {
            throw new DataFormatException(file, "array of " + shape.length + " dimensions; expected 1 (values) or 2"
                    + " (rows x columns, column 0 the value)");
        }
        long rows = shape[0];
        long columns = shape.length == 2 ? shape[1] : 1;
        if (columns < 1) {
            throw new DataFormatException(file, "array has no columns: shape " + java.util.Arrays.toString(shape));
        }
        if (rows > Integer.MAX_VALUE || rows * columns > Integer.MAX_VALUE / itemSize) {
            throw new DataFormatException(file, "array of " + rows + " x " + columns + " is too large");
        }
        long expected = rows * columns * itemSize;
        long actual = bytes.length - (long) dataStart;
        if (actual != expected) {
            throw new DataFormatException(file, (actual < expected ? "truncated: " : "trailing bytes: ") + actual
                    + " data bytes after the header, but shape " + rows + " x " + columns + " of '" + descr + "' needs "
                    + expected);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) actual).slice().order(order);
        double[][] table = new double[(int) columns][(int) rows];
        for (int c = 0; c < columns; c++) {
            double[] values = table[c];
            for (int r = 0; r < rows; r++) {
                long element = fortran ? r + c * rows : r * columns + c;
                int offset = (int) (element * itemSize);
                values[r] = itemSize == 8 ? data.getDouble(offset) : data.getFloat(offset);
            }
        }
        return new Table((int) rows, table);
    }

    /**
     * Writes {@code rows} as NumPy does for a 2-D float64 array in C order (format 1.0, the header
     * padded to a multiple of 64 bytes), creating the file's directory.
     */
    public static Path write(Path file, double[][] rows) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, encode(1, rows));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The bytes of {@code rows} as a 2-D array (C order, little-endian float64), format {@code major}. */
    public static byte[] encode(int major, double[][] rows) {
        int columns = rows.length == 0 ? 1 : rows[0].length;
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows.length + ", " + columns + "), }";
        ByteBuffer data = ByteBuffer.allocate(rows.length * columns * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            if (row.length != columns) {
                throw new IllegalArgumentException("rows of " + columns + " and " + row.length + " columns");
            }
            for (double v : row) {
                data.putDouble(v);
            }
        }
        byte[] header = header(dict, major);
        byte[] all = Arrays.copyOf(header, header.length + data.capacity());
        System.arraycopy(data.array(), 0, all, header.length, data.capacity());
        return all;
    }

    /** The magic, version {@code major}.0, header length and the header dict, padded as NumPy pads it. */
    public static byte[] header(String dict, int major) {
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(prefix + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) text.length());
        } else {
            b.putInt(text.length());
        }
        b.put(text.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String group(Path file, Pattern pattern, String header, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new DataFormatException(file, ".npy header has no usable " + key + ": " + header.strip());
        }
        return m.group(1);
    }

    private static long[] shape(Path file, String text) {
        String[] parts = text.split(",");
        int n = 0;
        long[] shape = new long[parts.length];
        for (String part : parts) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue; // (n,) has a trailing comma
            }
            try {
                shape[n++] = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, ".npy shape (" + text + ") is not a tuple of integers");
            }
        }
        return java.util.Arrays.copyOf(shape, n);
    }
}
