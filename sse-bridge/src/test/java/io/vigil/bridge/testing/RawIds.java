package io.vigil.bridge.testing;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * Event ids put together by hand, as a client could: the version byte, then any numbers as unsigned
 * LEB128 varints (counts and offsets alike, unchecked), in base64url.
 */
public final class RawIds {

    public static final int VERSION = 1;

    /** Version 1 followed by {@code numbers}, each as a varint (a negative one takes ten bytes). */
    public static String of(long... numbers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        for (long n : numbers) {
            out.writeBytes(varint(n));
        }
        return base64(out.toByteArray());
    }

    public static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private RawIds() {}
}
