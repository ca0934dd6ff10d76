package io.vigil.datasets;

import java.nio.file.Path;

/**
 * A data file that cannot be read as its layout says. The message starts with the file and, where the
 * format has lines, the 1-based line: {@code data/train/P-1.npy: ...} or {@code labels.csv:7: ...}.
 */
public final class DataFormatException extends IllegalArgumentException {

    private final int line;

    /** A problem at {@code line} (1-based) of {@code file}. */
    public DataFormatException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.line = line;
    }

    /** A problem with {@code file} as a whole (binary files, missing files, inconsistent content). */
    public DataFormatException(Path file, String message) {
        super(file + ": " + message);
        this.line = 0;
    }

    public DataFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.line = 0;
    }

    /** The 1-based line, or 0 when the problem has no line. */
    public int line() {
        return line;
    }
}
