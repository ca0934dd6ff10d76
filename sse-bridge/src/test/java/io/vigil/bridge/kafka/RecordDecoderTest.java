package io.vigil.bridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.bridge.events.EventType;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real schema-registry wire-format bytes, written by AvroSerde, through the bridge's decode path. */
class RecordDecoderTest {

    private final String scope = "bridge-" + UUID.randomUUID();
    private final Map<String, Object> config = Map.of("schema.registry.url", "mock://" + scope);
    private final MeterRegistry registry = new SimpleMeterRegistry();
    // Separate serde instances for writing and reading: only the registry scope connects them.
    private final RecordDecoder decoder = new RecordDecoder(Decoders.registry(java.util.Map.of("schema.registry.url", "mock://" + scope)), registry);
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void eachTopicsWireFormatRecordBecomesItsEvent() throws Exception {
        byte[] bytes = serialize(ChannelScore.class, EventType.SCORE, Scores.score("P-1", 1_700_000_000_000L, Double.NaN, null));
        assertEquals(0, bytes[0], "Confluent magic byte: these are real wire-format bytes");
        Decoded score = decode(EventType.SCORE, bytes);
        assertEquals("P-1", score.channel());
        assertEquals("smap", score.source());
        JsonNode s = json.readTree(score.json());
        assertEquals(1_700_000_000_000L, s.get("eventTime").longValue());
        assertTrue(s.get("threshold").isNull());
        assertEquals(42L, s.get("recordTime").longValue());

        AnomalyEvent open = AnomalyEvent.newBuilder().setChannelId("P-1").setStart(Instant.ofEpochMilli(5))
                .setStatus(AnomalyStatus.OPEN).setSeverity(Double.POSITIVE_INFINITY).setDetector(Detector.LSTM)
                .setModelVersion(3).build();
        Decoded anomaly = decode(EventType.ANOMALY, serialize(AnomalyEvent.class, EventType.ANOMALY, open));
        assertNull(anomaly.source(), "anomalies carry no source; the views supply the channel's");
        assertEquals("{\"channelId\":\"P-1\",\"start\":5,\"end\":null,\"status\":\"OPEN\",\"severity\":null,"
                + "\"detector\":\"LSTM\",\"modelVersion\":3,\"recordTime\":42}", anomaly.json());

        NodeStatus faulted = NodeStatus.newBuilder().setNodeId("n-1").setStatus(NodeLiveness.FAULTED)
                .setChangedAt(Instant.ofEpochMilli(9)).setLastHeartbeat(Instant.ofEpochMilli(7))
                .setLastState(NodeState.BUSY).setExpectedIntervalMs(1000).build();
        Decoded node = decode(EventType.NODE, serialize(NodeStatus.class, EventType.NODE, faulted));
        assertNull(node.channel());
        assertEquals("FAULTED", json.readTree(node.json()).get("state").textValue());
        assertEquals("BUSY", json.readTree(node.json()).get("lastState").textValue());

        LabelSegment label = LabelSegment.newBuilder().setChannelId("P-1").setStart(Instant.ofEpochMilli(1))
                .setEnd(Instant.ofEpochMilli(2)).setSource("nab").setKind("spike").build();
        Decoded l = decode(EventType.LABEL, serialize(LabelSegment.class, EventType.LABEL, label));
        assertEquals("nab", l.source());
        assertEquals("spike", json.readTree(l.json()).get("kind").textValue());
        assertEquals(0.0, failures(EventType.SCORE, "wire_format") + failures(EventType.SCORE, "other"));
    }

    @Test
    void undecodableRecordsAreCountedBySkippedAndDoNotStopLaterOnes() {
        byte[] good = serialize(ChannelScore.class, EventType.SCORE, Scores.score("A-1", 5L, 0.5, 4));
        byte[] notFramed = "plain text".getBytes();
        byte[] unknownId = good.clone();
        unknownId[1] = 0x7f; // a schema id the registry never issued
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        byte[] wrongType = serialize(LabelSegment.class, EventType.LABEL, LabelSegment.newBuilder().setChannelId("x")
                .setStart(Instant.EPOCH).setEnd(Instant.EPOCH).build());

        assertNull(decode(EventType.SCORE, notFramed));
        assertNull(decode(EventType.SCORE, unknownId));
        assertNull(decode(EventType.SCORE, truncated));
        assertNull(decode(EventType.SCORE, null));
        assertNull(decode(EventType.SCORE, wrongType), "a label on the scores topic is not a score");
        assertNotNull(decode(EventType.SCORE, good));

        assertEquals(4.0, failures(EventType.SCORE, "wire_format"));
        assertEquals(1.0, failures(EventType.SCORE, "other"), "a null value");
        assertEquals(6.0, registry.get(RecordDecoder.RECEIVED).tag("type", "score").counter().count());
    }

    @Test
    void anUnreachableRegistryCostsTheRecordNotTheFeed() throws Exception {
        byte[] bytes = serialize(ChannelScore.class, EventType.SCORE, Scores.score("A-1", 5L, 0.5, 4));
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Map<String, Object> cut = Map.of("schema.registry.url", "http://127.0.0.1:" + deadPort,
                "vigil.schema.registry.retry.attempts", "1", "vigil.schema.registry.retry.backoff.ms", "0");
        RecordDecoder cutOff = new RecordDecoder(new Decoders(
                AvroSerde.configured(ChannelScore.class, cut, false).deserializer(),
                AvroSerde.configured(AnomalyEvent.class, cut, false).deserializer(),
                AvroSerde.configured(NodeStatus.class, cut, false).deserializer(),
                AvroSerde.configured(LabelSegment.class, cut, false).deserializer()), registry);

        assertNull(cutOff.decode(EventType.SCORE, EventType.SCORE.topic(), 0, 9L, 1L, null, bytes));

        assertEquals(1.0, failures(EventType.SCORE, "registry"));
        assertEquals(0.0, failures(EventType.SCORE, "wire_format"), "an outage is not a verdict on the record");
    }

    private Decoded decode(EventType type, byte[] bytes) {
        return decoder.decode(type, type.topic(), 3, 42L, 42L, new RecordHeaders(), bytes);
    }

    private <T extends SpecificRecord> byte[] serialize(Class<T> cls, EventType type, T value) {
        return AvroSerde.configured(cls, config, false).serializer().serialize(type.topic(), value);
    }

    private double failures(EventType type, String reason) {
        return registry.get(RecordDecoder.DECODE_FAILURES).tag("type", type.eventName()).tag("reason", reason)
                .counter().count();
    }
}
