package io.vigil.replay.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one column of a NumPy {@code .npy} file: format versions 1 to 3, little-endian float64
 * ({@code '<f8'}), C order, shape {@code (rows,)} or {@code (rows, columns)} (Telemanom's layout).
 * Anything else is refused with a message naming the file and what was found, rather than guessed at.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The header's facts: {@code columns} is 1 for a one-dimensional array. */
    public record Header(int rows, int columns, int dataOffset) {}

    private Npy() {
    }

    /** Column {@code column} of the array in {@code file}, one value per row. */
    public static double[] readColumn(Path file, int column) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Header h = header(file, bytes);
        if (column < 0 || column >= h.columns()) {
            throw new IllegalArgumentException(file + ": has " + h.columns() + " column(s), no column " + column);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[h.rows()];
        for (int r = 0; r < h.rows(); r++) {
            values[r] = data.getDouble(h.dataOffset() + (r * h.columns() + column) * Double.BYTES);
        }
        return values;
    }

    /** Parses and checks the header against the file's length. */
    static Header header(Path file, byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw new IllegalArgumentException(file + ": not a .npy file (no \\x93NUMPY magic at the start)");
            }
        }
        if (bytes.length < 10) {
            throw new IllegalArgumentException(file + ": truncated .npy header");
        }
        int major = bytes[6] & 0xff;
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IllegalArgumentException(file + ": truncated .npy header");
            }
            headerLength = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            headerStart = 12;
        } else {
            throw new IllegalArgumentException(file + ": .npy format version " + major + " is not supported (1 to 3 are)");
        }
        if (headerLength < 0 || headerStart + (long) headerLength > bytes.length) {
            throw new IllegalArgumentException(file + ": truncated .npy header (" + headerLength + " header bytes announced, "
                    + (bytes.length - headerStart) + " present)");
        }
        String dict = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = find(file, DESCR, dict, "descr");
        if (!descr.equals("<f8")) {
            throw new IllegalArgumentException(file + ": dtype '" + descr + "' is not supported (only little-endian float64, '<f8')");
        }
        if (find(file, FORTRAN, dict, "fortran_order").equals("True")) {
            throw new IllegalArgumentException(file + ": Fortran-ordered arrays are not supported (only C order)");
        }
        List<Long> shape = shape(file, find(file, SHAPE, dict, "shape"));
        if (shape.isEmpty() || shape.size() > 2) {
            throw new IllegalArgumentException(file + ": shape " + shape + " is not supported (1 or 2 dimensions)");
        }
        long rows = shape.get(0);
        long columns = shape.size() == 2 ? shape.get(1) : 1;
        int dataOffset = headerStart + headerLength;
        long expected = rows * columns * Double.BYTES;
        long present = bytes.length - (long) dataOffset;
        if (present < expected) {
            throw new IllegalArgumentException(file + ": truncated: the header promises " + rows + " x " + columns
                    + " float64 values (" + expected + " bytes) but only " + present + " bytes follow it");
        }
        if (present > expected) {
            throw new IllegalArgumentException(file + ": " + (present - expected) + " unexpected bytes after the "
                    + rows + " x " + columns + " array");
        }
        if (rows * columns > Integer.MAX_VALUE / Double.BYTES) {
            throw new IllegalArgumentException(file + ": array too large (" + rows + " x " + columns + ")");
        }
        return new Header((int) rows, (int) columns, dataOffset);
    }

    private static String find(Path file, Pattern pattern, String dict, String key) {
        Matcher m = pattern.matcher(dict);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": .npy header has no readable '" + key + "': " + dict.trim());
        }
        return m.group(1);
    }

    private static List<Long> shape(Path file, String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                long dim = Long.parseLong(part.trim());
                if (dim < 0) {
                    throw new NumberFormatException();
                }
                dims.add(dim);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": unreadable shape (" + text + ")");
            }
        }
        return dims;
    }
}
