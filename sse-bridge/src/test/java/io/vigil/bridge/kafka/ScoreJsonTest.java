package io.vigil.bridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.ChannelScore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreJsonTest {

    // A default ObjectMapper rejects NaN/Infinity tokens, as JSON.parse in a browser does.
    private final ObjectMapper strict = new ObjectMapper();

    @Test
    void warmingUpScoreHasNullThresholdAndNoModelVersion() throws Exception {
        ChannelScore score = Scores.score("P-1", 1_700_000_000_000L, Double.NaN, null);

        String json = ScoreJson.toJson(score);

        assertEquals("{\"channelId\":\"P-1\",\"source\":\"smap\",\"eventTime\":1700000000000,\"value\":0.25,"
                + "\"forecast\":0.5,\"error\":0.25,\"smoothedError\":0.125,\"threshold\":null,\"anomalous\":false,"
                + "\"detector\":\"BASELINE\",\"modelVersion\":null,\"scoredAt\":1700000000007,\"drift\":null}", json);
        JsonNode node = strict.readTree(json);
        assertTrue(node.get("threshold").isNull());
        assertTrue(node.get("modelVersion").isNull());
    }

    @Test
    void modelVersionIsANumberAndEveryNonFiniteDoubleIsNull() throws Exception {
        ChannelScore score = Scores.score("A-7", 5L, 0.75, 3);
        score.setValue(Double.POSITIVE_INFINITY);
        score.setForecast(Double.NEGATIVE_INFINITY);
        score.setError(Double.NaN);
        score.setAnomalous(true);

        JsonNode node = strict.readTree(ScoreJson.toJson(score));

        assertEquals(3, node.get("modelVersion").intValue());
        assertEquals("LSTM", node.get("detector").textValue());
        assertEquals(0.75, node.get("threshold").doubleValue());
        assertTrue(node.get("value").isNull());
        assertTrue(node.get("forecast").isNull());
        assertTrue(node.get("error").isNull());
        assertTrue(node.get("anomalous").booleanValue());
        assertTrue(node.get("drift").isNull(), "a score without a drift distance");
        score.setDrift(0.125);
        assertEquals(0.125, strict.readTree(ScoreJson.toJson(score)).get("drift").doubleValue());
        assertFalse(ScoreJson.toJson(score).contains("\n"), "one line: it becomes a single SSE data field");
    }
}
