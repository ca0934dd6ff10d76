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
 * <p>Decoding is strict and bounded: ids longer than {@link #MAX_LENGTH}, with another version, more
 * than {@link #MAX_PARTITIONS} partitions per topic, negative offsets or bytes left over are rejected
 * with {@link IllegalArgumentException}. Topics appended by a later version are ignored.
 */
public final class PositionCodec {

    public static final int MAX_LENGTH = 4096;
    public static final int MAX_PARTITIONS = 10_000;
    private static final int VERSION = 1;

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

    public static Position decode(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("empty event id");
        }
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("event id longer than " + MAX_LENGTH + " characters");
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
            if (count > MAX_PARTITIONS) {
                throw new IllegalArgumentException("event id lists " + count + " partitions of one topic");
            }
            long[] row = new long[(int) count];
            long previous = 0;
            for (int p = 0; p < row.length; p++) {
                long raw = in.readVarint();
                long offset = p == 0 ? raw : previous + unzigzag(raw);
                if (offset < 0) {
                    throw new IllegalArgumentException("event id has a negative offset");
                }
                row[p] = offset;
                previous = offset;
            }
            if (type < offsets.length) {
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
