package io.vigil.bridge.events;

import java.util.Arrays;

/**
 * A point in the bridge's input: for every partition of every streamed topic, the offset of the next
 * record not yet taken into account. Immutable; {@link #with} returns a changed copy.
 *
 * <p>A partition a position does not list is read as offset 0: it did not exist (or was not read)
 * when the position was taken, so everything in it comes after. Callers that must tell "absent" from
 * "0" (the hub's frontier: which partitions does this bridge read?) use {@link #partitions}.
 */
public final class Position {

    public static final Position EMPTY = new Position(new long[EventType.count()][0]);

    private final long[][] next; // [type ordinal][partition]

    private Position(long[][] next) {
        this.next = next;
    }

    /** A position from offsets indexed by type ordinal then partition; the arrays are copied. */
    public static Position of(long[][] offsets) {
        long[][] copy = new long[EventType.count()][];
        for (int t = 0; t < copy.length; t++) {
            long[] row = t < offsets.length && offsets[t] != null ? offsets[t].clone() : new long[0];
            for (long offset : row) {
                if (offset < 0) {
                    throw new IllegalArgumentException("negative offset " + offset);
                }
            }
            copy[t] = row;
        }
        return new Position(copy);
    }

    /** How many partitions of {@code type} this position lists. */
    public int partitions(EventType type) {
        return next[type.ordinal()].length;
    }

    /** The next offset of a partition; 0 when the position does not list it. */
    public long next(EventType type, int partition) {
        long[] row = next[type.ordinal()];
        return partition < row.length ? row[partition] : 0L;
    }

    /** This position with one partition's next offset set (listing the partition if it was not). */
    public Position with(EventType type, int partition, long nextOffset) {
        if (partition < 0 || nextOffset < 0) {
            throw new IllegalArgumentException("partition " + partition + ", offset " + nextOffset);
        }
        long[] row = next[type.ordinal()];
        long[] changed = Arrays.copyOf(row, Math.max(row.length, partition + 1));
        changed[partition] = nextOffset;
        long[][] copy = next.clone();
        copy[type.ordinal()] = changed;
        return new Position(copy);
    }

    /** The larger offset of the two on every partition either lists. */
    public Position max(Position other) {
        long[][] merged = new long[next.length][];
        for (int t = 0; t < next.length; t++) {
            EventType type = EventType.of(t);
            int partitions = Math.max(partitions(type), other.partitions(type));
            merged[t] = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                merged[t][p] = Math.max(next(type, p), other.next(type, p));
            }
        }
        return new Position(merged);
    }

    /** The offsets as arrays, copied. */
    public long[][] toArrays() {
        long[][] copy = new long[next.length][];
        for (int t = 0; t < next.length; t++) {
            copy[t] = next[t].clone();
        }
        return copy;
    }

    /**
     * Whether, on every partition that {@code reference} lists for one of {@code types}, this position
     * is at or past {@code reference}.
     */
    public boolean atOrPast(Position reference, java.util.Set<EventType> types) {
        for (EventType type : types) {
            for (int p = 0; p < reference.partitions(type); p++) {
                if (next(type, p) < reference.next(type, p)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether, for each of {@code types}, this position lists no partition that {@code reference} does
     * not and is at or before {@code reference} on every partition: nothing in it lies beyond what
     * {@code reference} has seen.
     */
    public boolean atOrBefore(Position reference, java.util.Set<EventType> types) {
        for (EventType type : types) {
            if (partitions(type) > reference.partitions(type)) {
                return false;
            }
            for (int p = 0; p < partitions(type); p++) {
                if (next(type, p) > reference.next(type, p)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * This position without the partitions {@code reference} does not list: what is kept of a client's
     * position is then as large as the bridge's own, whatever the client sent.
     */
    public Position clippedTo(Position reference) {
        long[][] clipped = null;
        for (int t = 0; t < next.length; t++) {
            int keep = reference.partitions(EventType.of(t));
            if (next[t].length > keep) {
                if (clipped == null) {
                    clipped = next.clone();
                }
                clipped[t] = Arrays.copyOf(next[t], keep);
            }
        }
        return clipped == null ? this : new Position(clipped);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Position other && Arrays.deepEquals(next, other.next);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(next);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (EventType type : EventType.values()) {
            long[] row = next[type.ordinal()];
            if (row.length > 0) {
                s.append(s.length() == 0 ? "" : " ").append(type.eventName()).append(Arrays.toString(row));
            }
        }
        return s.length() == 0 ? "[]" : s.toString();
    }
}
