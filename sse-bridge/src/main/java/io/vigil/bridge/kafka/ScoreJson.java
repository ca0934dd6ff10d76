package io.vigil.bridge.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.avro.ChannelScore;

import java.io.IOException;

/**
 * The JSON shape of a {@link ChannelScore} on the wire to browsers: one flat object with the Avro
 * field names, times as epoch milliseconds, the detector as its symbol name, non-finite doubles (the
 * NaN threshold of a warming-up detector, any infinity) as {@code null}. Streamed events add
 * {@code recordTime}, the Kafka record's timestamp, so a client can tell how far behind it is.
 */
public final class ScoreJson {

    public static String toJson(ChannelScore score) {
        return JsonText.object(g -> fields(g, score));
    }

    public static String toJson(ChannelScore score, long recordTime) {
        return JsonText.object(g -> {
            fields(g, score);
            g.writeNumberField("recordTime", recordTime);
        });
    }

    private static void fields(JsonGenerator g, ChannelScore score) throws IOException {
        g.writeStringField("channelId", score.getChannelId());
        g.writeStringField("source", score.getSource());
        JsonText.millis(g, "eventTime", score.getEventTime());
        JsonText.finite(g, "value", score.getValue());
        JsonText.finite(g, "forecast", score.getForecast());
        JsonText.finite(g, "error", score.getError());
        JsonText.finite(g, "smoothedError", score.getSmoothedError());
        JsonText.finite(g, "threshold", score.getThreshold());
        g.writeBooleanField("anomalous", score.getAnomalous());
        JsonText.symbol(g, "detector", score.getDetector());
        JsonText.integer(g, "modelVersion", score.getModelVersion());
        JsonText.millis(g, "scoredAt", score.getScoredAt());
        JsonText.finite(g, "drift", score.getDrift() == null ? Double.NaN : score.getDrift());
    }

    private ScoreJson() {}
}
