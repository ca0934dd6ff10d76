package io.vigil.bridge.events;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * The SSE event id: a {@link Position} in a compact, URL- and header-safe text form, so that a browser's
 * {@code Last-Event-ID} names exactly where in every partition its stream stood.
 *
 * <p>Format (version 1): base64url without padding of the bytes {@code 0x01}, then for each
 * {@link EventType} in declaration order the partition count and the partitions' next offsets, all as
 * unsigned LEB128 varints; each offset after a topic's first is zig-zag encoded as the difference to
 * the previous partition's, because partitions of a topic fed evenly have offsets of the same size.
 * Four topics of four partitions at offsets in the millions take about 40 characters.
 *
 * <p>Ids come back from clients, so decoding is strict, total and bounded by {@link Limits}, never by
 * a number inside the id: an id longer than {@code maxLength}, of another version, listing more than
 * {@code maxPartitions} partitions of a topic (or more than it has bytes left for), with a number that
 * overflows 64 bits, a negative offset or bytes left over is rejected with
 * {@link IllegalArgumentException}, and nothing else is ever thrown. Topics appended by a later version
 * are read past and ignored.
 */
public final class PositionCodec {

    public static final int DEFAULT_MAX_LENGTH = 4096;
    /** Far above any topic of this project; ids of more partitions do not fit in the default length anyway. */
    public static final int DEFAULT_MAX_PARTITIONS = 1024;
    private static final int VERSION = 1;
    /** A varint's tenth byte holds bit 63 only: anything more would not fit in a long. */
    private static final int LAST_VARINT_SHIFT = 63;

    /**
     * How much of a client's id the decoder will look at: at most {@code maxLength} characters, and at
     * most {@code maxPartitions} partitions per topic. They bound what decoding allocates.
     */
    public record Limits(int maxLength, int maxPartitions) {

        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_LENGTH, DEFAULT_MAX_PARTITIONS);

        public Limits {
            if (maxLength < 1 || maxPartitions < 1) {
                throw new IllegalArgumentException("event id limits must be positive");
            }
        }
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public static String encode(Position position) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48);
        out.write(VERSION);
        for (EventType type : EventType.values()) {
            int partitions = position.partitions(type);
            writeVarint(out, partitions);
            long previous = 0;
            for (int p = 0; p < partitions; p++) {
                long offset = position.next(type, p);
                writeVarint(out, p == 0 ? offset : zigzag(offset - previous));
                previous = offset;
            }
        }
        return ENCODER.encodeToString(out.toByteArray());
    }

    /** Decodes an id within the default {@link Limits}. */
    public static Position decode(String id) {
        return decode(id, Limits.DEFAULT);
    }

    public static Position decode(String id, Limits limits) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("empty event id");
        }
        if (id.length() > limits.maxLength()) {
            throw new IllegalArgumentException("event id longer than " + limits.maxLength() + " characters");
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event id is not base64url: " + e.getMessage());
        }
        Reader in = new Reader(bytes);
        if (in.remaining() == 0 || in.readByte() != VERSION) {
            throw new IllegalArgumentException("event id has an unknown version");
        }
        long[][] offsets = new long[EventType.count()][];
        int type = 0;
        while (in.remaining() > 0) {
            long count = in.readVarint();
            // Unsigned on the wire: a ten-byte count reads as a negative long.
            if (count < 0 || count > limits.maxPartitions()) {
                throw new IllegalArgumentException("event id lists " + Long.toUnsignedString(count)
                        + " partitions of one topic; at most " + limits.maxPartitions());
            }
            // Every offset takes at least a byte: a count beyond the bytes left is refused before
            // anything is allocated for it.
            if (count > in.remaining()) {
                throw new IllegalArgumentException("event id is truncated");
            }
            long[] row = type < offsets.length ? new long[(int) count] : null;
            long previous = 0;
            for (int p = 0; p < count; p++) {
                long raw = in.readVarint();
                // Both non-negative, so an overflowing sum comes out negative and is refused too.
                long offset = p == 0 ? raw : previous + unzigzag(raw);
                if (offset < 0) {
                    throw new IllegalArgumentException("event id has a negative offset");
                }
                if (row != null) {
                    row[p] = offset;
                }
                previous = offset;
            }
            if (row != null) {
                offsets[type] = row;
            }
            type++;
        }
        if (type < EventType.count()) {
            // Every version-1 id written so far lists all types; fewer means a truncated id.
            throw new IllegalArgumentException("event id is truncated");
        }
        return Position.of(offsets);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - at;
        }

        int readByte() {
            return bytes[at++] & 0xFF;
        }

        long readVarint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (remaining() == 0) {
                    throw new IllegalArgumentException("event id is truncated");
                }
                int b = readByte();
                if (shift == LAST_VARINT_SHIFT && (b & 0x7F) > 1) {
                    throw new IllegalArgumentException("event id has a number beyond 64 bits");
                }
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("event id has an overlong number");
        }
    }

    private PositionCodec() {}
}
