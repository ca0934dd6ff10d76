package io.vigil.bridge.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.avro.ChannelScore;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON shape of a {@link ChannelScore} on the wire to browsers: one flat object with the Avro
 * field names, times as epoch milliseconds, the detector as its symbol name. Non-finite doubles
 * (the NaN threshold of a warming-up detector, any infinity) become {@code null}, because JSON has no
 * NaN and {@code JSON.parse} rejects the bare tokens Jackson would otherwise write.
 */
public final class ScoreJson {

    private static final JsonFactory JSON = new JsonFactory();

    public static String toJson(ChannelScore score) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("channelId", score.getChannelId());
            g.writeStringField("source", score.getSource());
            millis(g, "eventTime", score.getEventTime());
            finite(g, "value", score.getValue());
            finite(g, "forecast", score.getForecast());
            finite(g, "error", score.getError());
            finite(g, "smoothedError", score.getSmoothedError());
            finite(g, "threshold", score.getThreshold());
            g.writeBooleanField("anomalous", score.getAnomalous());
            g.writeStringField("detector", score.getDetector() == null ? null : score.getDetector().name());
            if (score.getModelVersion() == null) {
                g.writeNullField("modelVersion");
            } else {
                g.writeNumberField("modelVersion", score.getModelVersion());
            }
            millis(g, "scoredAt", score.getScoredAt());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void finite(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumberField(name, value);
        } else {
            g.writeNullField(name);
        }
    }

    private static void millis(JsonGenerator g, String name, Instant time) throws IOException {
        if (time == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, time.toEpochMilli());
        }
    }

    private ScoreJson() {}
}
