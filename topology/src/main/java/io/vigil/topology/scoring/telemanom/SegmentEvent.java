package io.vigil.topology.scoring.telemanom;

/**
 * A change in a channel's anomalous sequences, emitted by {@link StreamingThreshold} when a batch is
 * decided. Indices are the true 0-based positions of the first and last anomalous values, which lie
 * before the record that reports the event; the times are those points' event times.
 *
 * @param kind OPEN when a sequence reaches two decided indices, CLOSED when its first nominal index
 *     is decided
 * @param start the sequence's first index
 * @param end its last index: final for CLOSED; for OPEN the last one decided by the window that
 *     opened it
 * @param severity its largest per-index severity: final for CLOSED, as far as decided for OPEN
 * @param startTime event time of {@code start}
 * @param endTime event time of {@code end}
 */
public record SegmentEvent(Kind kind, long start, long end, double severity, long startTime, long endTime) {

    public enum Kind { OPEN, CLOSED }

    public static SegmentEvent open(long start, long end, double severity, long startTime, long endTime) {
        return new SegmentEvent(Kind.OPEN, start, end, severity, startTime, endTime);
    }

    public static SegmentEvent closed(long start, long end, double severity, long startTime, long endTime) {
        return new SegmentEvent(Kind.CLOSED, start, end, severity, startTime, endTime);
    }
}
