package io.vigil.bridge.events;

/**
 * One server-sent event as the hub fans it out. The fields are written verbatim after
 * {@code event:}, {@code id:} and {@code data:}, so none may contain a line break: Undertow does not
 * split data into several {@code data:} lines, and a stray newline would corrupt the stream for every
 * later event on the connection.
 */
public record SseEvent(String event, String id, String data) {

    public SseEvent {
        requireSingleLine("event", event);
        requireSingleLine("id", id);
        requireSingleLine("data", data);
    }

    private static void requireSingleLine(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException("SSE " + field + " must not be null");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("SSE " + field + " must be a single line");
        }
    }
}
