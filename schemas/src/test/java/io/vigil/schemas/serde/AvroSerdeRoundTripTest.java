package io.vigil.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.registry.MockSchemaRegistry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeRoundTripTest {

    private final String scope = TestRecords.newScope();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private <T extends SpecificRecord> T roundTrip(Class<T> type, T record, String topic) {
        AvroSerde<T> serde = AvroSerde.configured(type, TestRecords.mockConfig(scope), false);
        byte[] bytes = serde.serializer().serialize(topic, record);
        int id = MockSchemaRegistry.scope(scope).getId(topic + "-value", record.getSchema());
        assertEquals(0, bytes[0], "magic byte");
        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt(), "schema id, big-endian");
        // A separate serde instance: only the registry scope connects writer and reader.
        return AvroSerde.configured(type, TestRecords.mockConfig(scope), false).deserializer().deserialize(topic, bytes);
    }

    @Test
    void telemetryPointRoundTrips() {
        TelemetryPoint point = TestRecords.point();
        TelemetryPoint back = roundTrip(TelemetryPoint.class, point, "telemetry");
        assertEquals(point, back);
        assertEquals(TestRecords.T0, back.getEventTime(), "timestamp-millis comes back as the same Instant");
    }

    @Test
    void channelScoreRoundTripsWithAndWithoutModelVersion() {
        ChannelScore lstm = TestRecords.score(7);
        ChannelScore baseline = TestRecords.score(null);
        assertEquals(lstm, roundTrip(ChannelScore.class, lstm, "scores"));
        ChannelScore back = roundTrip(ChannelScore.class, baseline, "scores");
        assertEquals(baseline, back);
        assertNull(back.getModelVersion());
    }

    @Test
    void warmingUpScoreKeepsItsNaNThreshold() {
        ChannelScore warmingUp = TestRecords.score(null);
        warmingUp.setThreshold(Double.NaN);
        ChannelScore back = roundTrip(ChannelScore.class, warmingUp, "scores");
        assertTrue(Double.isNaN(back.getThreshold()));
        // Avro's generated equals() treats NaN as unequal to itself, so compare the JSON rendering.
        assertEquals(warmingUp.toString(), back.toString());
    }

    @Test
    void deadLetterRoundTripsWithRawBytes() {
        DeadLetter letter = TestRecords.deadLetter();
        DeadLetter back = roundTrip(DeadLetter.class, letter, "dead-letters");
        assertEquals(letter, back);
        byte[] raw = new byte[back.getRawValue().remaining()];
        back.getRawValue().get(raw);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 99, 1, 2}, raw);
    }

    @Test
    void firstSchemaGetsIdOneAndEveryTopicItsValueSubject() {
        AvroSerde<TelemetryPoint> serde = AvroSerde.configured(TelemetryPoint.class, TestRecords.mockConfig(scope), false);
        byte[] a = serde.serializer().serialize("telemetry", TestRecords.point());
        byte[] b = serde.serializer().serialize("telemetry-replay", TestRecords.point());
        assertEquals(1, ByteBuffer.wrap(a, 1, 4).getInt());
        assertArrayEquals(a, b, "same schema, same id, same bytes on both topics");
        assertEquals(List.of("telemetry-replay-value", "telemetry-value"), MockSchemaRegistry.scope(scope).subjects());
    }

    @Test
    void keySerdeUsesKeySubject() {
        AvroSerde<TelemetryPoint> serde = AvroSerde.configured(TelemetryPoint.class, TestRecords.mockConfig(scope), true);
        byte[] bytes = serde.serializer().serialize("points-by-point", TestRecords.point());
        assertEquals(List.of("points-by-point-key"), MockSchemaRegistry.scope(scope).subjects());
        assertEquals(TestRecords.point(), serde.deserializer().deserialize("points-by-point", bytes));
    }

    @Test
    void differentTypesGetDifferentIds() {
        Map<String, Object> config = TestRecords.mockConfig(scope);
        byte[] point = AvroSerde.configured(TelemetryPoint.class, config, false).serializer().serialize("t", TestRecords.point());
        byte[] score = AvroSerde.configured(ChannelScore.class, config, false).serializer().serialize("s", TestRecords.score(1));
        assertNotEquals(ByteBuffer.wrap(point, 1, 4).getInt(), ByteBuffer.wrap(score, 1, 4).getInt());
    }

    @Test
    void nullIsNullBothWays() {
        AvroSerde<TelemetryPoint> serde = AvroSerde.configured(TelemetryPoint.class, TestRecords.mockConfig(scope), false);
        assertNull(serde.serializer().serialize("telemetry", null));
        assertNull(serde.deserializer().deserialize("telemetry", null));
    }

    @Test
    void missingUrlIsAConfigErrorNamingTheKey() {
        AvroSerde<TelemetryPoint> serde = new AvroSerde<>(TelemetryPoint.class);
        ConfigException e = assertThrows(ConfigException.class, () -> serde.configure(Map.of(), false));
        assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
    }

    @Test
    void unconfiguredSerdeSaysSo() {
        AvroSerde<TelemetryPoint> serde = new AvroSerde<>(TelemetryPoint.class);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> serde.serializer().serialize("telemetry", TestRecords.point()));
        assertTrue(e.getMessage().contains("configure"), e.getMessage());
    }
}
