package io.vigil.bridge.events;

import java.nio.charset.StandardCharsets;

/**
 * Bytes of the event stream, encoded once and written as they are to every client that gets them
 * (so 1,000 clients cost one encoding, not 1,000). {@code event} says whether the frame is a data
 * event, which is what drop counts and the sent counter count; comments, bare ids and control events
 * are not.
 *
 * <p>Fields are written verbatim, so none may contain a line break: a stray newline would corrupt the
 * stream for every later event on the connection.
 */
public record Frame(byte[] bytes, boolean event) {

    /** {@code id:}, {@code event:} and {@code data:}: one data event. */
    public static Frame event(String name, String id, String json) {
        return new Frame(utf8("id: " + line("id", id) + "\nevent: " + line("event", name)
                + "\ndata: " + line("data", json) + "\n\n"), true);
    }

    /**
     * A bare {@code id:}: moves the browser's last event id forward without an event, for clients whose
     * filter skipped everything since their last event.
     */
    public static Frame id(String id) {
        return new Frame(utf8("id: " + line("id", id) + "\n\n"), false);
    }

    /** A named event without an id, about the stream rather than the data (resume, dropped). */
    public static Frame control(String name, String json) {
        return new Frame(utf8("event: " + line("event", name) + "\ndata: " + line("data", json) + "\n\n"), false);
    }

    /** A comment: ignored by EventSource, visible to people reading the raw stream. */
    public static Frame comment(String text) {
        return new Frame(utf8(": " + line("comment", text) + "\n\n"), false);
    }

    /** Announces that the client lost its {@code count} oldest queued events, as comment and event. */
    public static Frame dropped(long count) {
        return new Frame(utf8(": dropped " + count + " events\nevent: dropped\ndata: {\"dropped\":" + count
                + "}\n\n"), false);
    }

    /** How long EventSource waits before reconnecting. */
    public static Frame retry(long millis) {
        return new Frame(utf8("retry: " + millis + "\n\n"), false);
    }

    /** This data event with another id (for a client whose resume point is ahead of the hub's). */
    public Frame withId(String id) {
        if (!event || bytes.length < 4 || bytes[0] != 'i' || bytes[1] != 'd') {
            throw new IllegalStateException("not an event frame");
        }
        int newline = 0;
        while (bytes[newline] != '\n') {
            newline++;
        }
        byte[] head = utf8("id: " + line("id", id));
        byte[] changed = new byte[head.length + bytes.length - newline];
        System.arraycopy(head, 0, changed, 0, head.length);
        System.arraycopy(bytes, newline, changed, head.length, bytes.length - newline);
        return new Frame(changed, true);
    }

    public int length() {
        return bytes.length;
    }

    private static String line(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException("SSE " + field + " must not be null");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("SSE " + field + " must be a single line");
        }
        return value;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
