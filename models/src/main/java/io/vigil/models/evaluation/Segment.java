package io.vigil.models.evaluation;

/** A predicted anomaly: indices {@code first..last} of the test series, both inclusive. */
public record Segment(int first, int last) {

    public Segment {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("a segment needs 0 <= first <= last, got [" + first + ", " + last + "]");
        }
    }

    boolean overlaps(int otherFirst, int otherLast) {
        return first <= otherLast && otherFirst <= last;
    }
}
