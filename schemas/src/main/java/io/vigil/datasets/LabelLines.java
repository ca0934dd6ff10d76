package io.vigil.datasets;

/**
 * The one rule of label files ({@code channel,start,end[,kind]}) for the trainer and the replay
 * producer alike, so that neither refuses a file the other reads: blank lines and lines starting with
 * {@code #} carry nothing, before the header as after it.
 */
public final class LabelLines {

    private LabelLines() {}

    /** True if {@code line} is blank or a comment. */
    public static boolean isSkipped(String line) {
        return line.isBlank() || line.stripLeading().startsWith("#");
    }
}
