package io.vigil.bridge.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Shared rules of the event JSON written to browsers: one line, times as epoch milliseconds, and
 * non-finite doubles as {@code null}, because JSON has no NaN and {@code JSON.parse} rejects the bare
 * tokens Jackson would otherwise write.
 */
final class JsonText {

    private static final JsonFactory JSON = new JsonFactory();

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static String object(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    static void finite(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumberField(name, value);
        } else {
            g.writeNullField(name);
        }
    }

    static void millis(JsonGenerator g, String name, Instant time) throws IOException {
        if (time == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, time.toEpochMilli());
        }
    }

    static void integer(JsonGenerator g, String name, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    static void symbol(JsonGenerator g, String name, Enum<?> value) throws IOException {
        g.writeStringField(name, value == null ? null : value.name());
    }

    private JsonText() {}
}
