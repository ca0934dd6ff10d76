package io.vigil.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.registry.MockSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records written by producers with other (compatible) versions of the schema. */
class SchemaEvolutionTest {

    private static final Schema TIMESTAMP = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));

    private final String scope = TestRecords.newScope();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    /** Frames {@code record} as a producer using {@code writer} would, registering it under the subject. */
    private byte[] written(String topic, Schema writer, GenericRecord record) throws IOException {
        int id = MockSchemaRegistry.scope(scope).register(topic + "-value", writer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private <T extends org.apache.avro.specific.SpecificRecord> T read(Class<T> type, String topic, byte[] bytes) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(TestRecords.mockConfig(scope), false);
        return deserializer.deserialize(topic, bytes);
    }

    @Test
    void olderTelemetryWithoutSourceGetsTheDefault() throws IOException {
        Schema v1 = SchemaBuilder.record("TelemetryPoint").namespace("io.vigil.avro").fields()
                .requiredString("channelId")
                .name("eventTime").type(TIMESTAMP).noDefault()
                .requiredDouble("value")
                .endRecord();
        GenericRecord old = new GenericData.Record(v1);
        old.put("channelId", "A-7");
        old.put("eventTime", 1_700_000_000_000L);
        old.put("value", 2.5);

        TelemetryPoint point = read(TelemetryPoint.class, "telemetry", written("telemetry", v1, old));

        assertEquals("A-7", point.getChannelId());
        assertEquals("", point.getSource(), "the reader's default for a field the writer lacked");
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), point.getEventTime());
        assertEquals(2.5, point.getValue());
    }

    @Test
    void olderScoreWithoutDetectorModelVersionAndScoredAtGetsDefaults() throws IOException {
        Schema v1 = SchemaBuilder.record("ChannelScore").namespace("io.vigil.avro").fields()
                .requiredString("channelId")
                .requiredString("source")
                .name("eventTime").type(TIMESTAMP).noDefault()
                .requiredDouble("value").requiredDouble("forecast").requiredDouble("error")
                .requiredDouble("smoothedError").requiredDouble("threshold").requiredBoolean("anomalous")
                .endRecord();
        GenericRecord old = new GenericData.Record(v1);
        old.put("channelId", "A-7");
        old.put("source", "msl");
        old.put("eventTime", 5L);
        for (String f : new String[] {"value", "forecast", "error", "smoothedError", "threshold"}) {
            old.put(f, 1.0);
        }
        old.put("anomalous", false);

        ChannelScore score = read(ChannelScore.class, "scores", written("scores", v1, old));

        assertEquals(Detector.UNKNOWN, score.getDetector());
        assertNull(score.getModelVersion());
        assertEquals(Instant.EPOCH, score.getScoredAt());
        assertEquals("msl", score.getSource());
    }

    @Test
    void newerTelemetryWithAnExtraFieldIsReadWithoutIt() throws IOException {
        Schema v3 = SchemaBuilder.record("TelemetryPoint").namespace("io.vigil.avro").fields()
                .requiredString("channelId")
                .name("source").type().stringType().stringDefault("")
                .name("eventTime").type(TIMESTAMP).noDefault()
                .requiredDouble("value")
                .name("unit").type().stringType().stringDefault("")
                .endRecord();
        MockSchemaRegistry.scope(scope).register("telemetry-value", TelemetryPoint.getClassSchema());
        GenericRecord newer = new GenericData.Record(v3);
        newer.put("channelId", "A-7");
        newer.put("source", "msl");
        newer.put("eventTime", 9L);
        newer.put("value", -1.0);
        newer.put("unit", "volts"); // after the last field the reader knows: must be skipped, not left over

        TelemetryPoint point = read(TelemetryPoint.class, "telemetry", written("telemetry", v3, newer));

        assertEquals(TelemetryPoint.newBuilder().setChannelId("A-7").setSource("msl")
                .setEventTime(Instant.ofEpochMilli(9)).setValue(-1.0).build(), point);
    }

    @Test
    void aReaderFromBeforeAliveReadsANewerNodeStatusAsUnknownAndTheNewerReaderReadsOlderRecords() throws IOException {
        Schema current = NodeStatus.getClassSchema();
        String symbols = "\"symbols\":[\"UNKNOWN\",\"FAULTED\",\"RECOVERED\",\"ALIVE\"]";
        assertTrue(current.toString().contains(symbols), current.toString());
        Schema older = new Schema.Parser().parse(current.toString()
                .replace(symbols, "\"symbols\":[\"UNKNOWN\",\"FAULTED\",\"RECOVERED\"]"));
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(older, current).getType(), "old bridges read new records");
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(current, older).getType(), "new readers read old records");

        NodeStatus alive = NodeStatus.newBuilder().setNodeId("n-1").setStatus(NodeLiveness.ALIVE)
                .setChangedAt(Instant.ofEpochMilli(5)).setLastHeartbeat(Instant.ofEpochMilli(5))
                .setLastState(NodeState.BUSY).setExpectedIntervalMs(10_000).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<NodeStatus>(current).write(alive, encoder);
        encoder.flush();
        GenericRecord read = new GenericDatumReader<GenericRecord>(current, older)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertEquals("UNKNOWN", read.get("status").toString(), "the enum's default, not a failure");
        assertEquals("BUSY", read.get("lastState").toString());
    }
}
