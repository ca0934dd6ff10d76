package io.vigil.models.data;

/**
 * A labeled anomaly of a channel's test series: indices {@code first..last}, both inclusive and 0-based,
 * into {@link ChannelData#test()}, which is how Telemanom's {@code anomaly_sequences} count.
 *
 * @param kind what the label says it is (Telemanom's class, e.g. {@code point}), or empty
 */
public record LabelRange(int first, int last, String kind) {

    public LabelRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("a label range needs 0 <= first <= last, got [" + first + ", " + last + "]");
        }
        kind = kind == null ? "" : kind;
    }

    /** Number of labeled points. */
    public int length() {
        return last - first + 1;
    }

    /** This range moved {@code offset} indices to the left, as when the series it indexes starts later. */
    LabelRange shiftedLeft(int offset) {
        return new LabelRange(first - offset, last - offset, kind);
    }
}
