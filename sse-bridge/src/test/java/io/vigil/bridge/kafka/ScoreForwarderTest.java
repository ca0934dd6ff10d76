package io.vigil.bridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real schema-registry wire-format bytes, written by AvroSerde, through the bridge's decode path. */
class ScoreForwarderTest {

    private static final String TOPIC = "vigil.scores";

    private final String scope = "bridge-" + UUID.randomUUID();
    private final Map<String, Object> config = Map.of("schema.registry.url", "mock://" + scope);
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<String[]> published = new ArrayList<>();
    // Separate serde instances for writing and reading: only the registry scope connects them.
    private final ScoreForwarder forwarder = new ScoreForwarder(
            AvroSerde.configured(ChannelScore.class, config, false).deserializer(),
            (event, id, data) -> published.add(new String[] {event, id, data}), registry);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void wireFormatRecordBecomesOneScoreEvent() throws Exception {
        byte[] bytes = serialize(Scores.score("P-1", 1_700_000_000_000L, Double.NaN, null));
        assertEquals(0, bytes[0], "Confluent magic byte: these are real wire-format bytes");

        assertTrue(forwarder.forward(TOPIC, 3, 42L, new RecordHeaders(), bytes));

        assertEquals(1, published.size());
        assertEquals("score", published.get(0)[0]);
        assertEquals("3-42", published.get(0)[1]);
        JsonNode json = new ObjectMapper().readTree(published.get(0)[2]);
        assertEquals("P-1", json.get("channelId").textValue());
        assertEquals(1_700_000_000_000L, json.get("eventTime").longValue());
        assertTrue(json.get("threshold").isNull());
        assertTrue(json.get("modelVersion").isNull());
        assertEquals(0.0, failures("wire_format") + failures("registry") + failures("other"));
    }

    @Test
    void undecodableRecordsAreCountedBySkippedAndDoNotStopLaterOnes() {
        byte[] good = serialize(Scores.score("A-1", 5L, 0.5, 4));
        byte[] notFramed = "plain text".getBytes();
        byte[] unknownId = good.clone();
        unknownId[1] = 0x7f; // a schema id the registry never issued
        byte[] truncated = Arrays.copyOf(good, good.length - 3);

        assertFalse(forwarder.forward(TOPIC, 0, 1L, null, notFramed));
        assertFalse(forwarder.forward(TOPIC, 0, 2L, null, unknownId));
        assertFalse(forwarder.forward(TOPIC, 0, 3L, null, truncated));
        assertFalse(forwarder.forward(TOPIC, 0, 4L, null, null));
        assertTrue(forwarder.forward(TOPIC, 0, 5L, null, good));

        assertEquals(3.0, failures("wire_format"));
        assertEquals(1.0, failures("other"), "a null value");
        assertEquals(5.0, registry.get(ScoreForwarder.RECEIVED).counter().count());
        assertEquals(1, published.size());
        assertEquals("0-5", published.get(0)[1]);
    }

    @Test
    void anUnreachableRegistryCostsTheRecordNotTheFeed() throws Exception {
        byte[] bytes = serialize(Scores.score("A-1", 5L, 0.5, 4));
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        ScoreForwarder cutOff = new ScoreForwarder(AvroSerde.configured(ChannelScore.class, Map.of(
                "schema.registry.url", "http://127.0.0.1:" + deadPort,
                "vigil.schema.registry.retry.attempts", "1",
                "vigil.schema.registry.retry.backoff.ms", "0"), false).deserializer(),
                (event, id, data) -> published.add(new String[] {event, id, data}), registry);

        assertFalse(cutOff.forward(TOPIC, 0, 9L, null, bytes));

        assertEquals(1.0, failures("registry"));
        assertEquals(0.0, failures("wire_format"), "an outage is not a verdict on the record");
        assertTrue(published.isEmpty());
    }

    private byte[] serialize(ChannelScore score) {
        return AvroSerde.configured(ChannelScore.class, config, false).serializer().serialize(TOPIC, score);
    }

    private double failures(String reason) {
        return registry.get(ScoreForwarder.DECODE_FAILURES).tag("reason", reason).counter().count();
    }
}
