package io.vigil.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.registry.FakeRegistryServer;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.registry.RegistryConfig;
import io.vigil.schemas.registry.RegistryException;
import io.vigil.schemas.serde.WireFormatException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WireFormatErrorsTest {

    private final String scope = TestRecords.newScope();
    private AvroDeserializer<TelemetryPoint> points;
    private AvroDeserializer<ChannelScore> scores;

    @BeforeEach
    void setUp() {
        points = new AvroDeserializer<>(TelemetryPoint.class);
        points.configure(TestRecords.mockConfig(scope), false);
        scores = new AvroDeserializer<>(ChannelScore.class);
        scores.configure(TestRecords.mockConfig(scope), false);
    }

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private byte[] validPoint() {
        return AvroSerde.configured(TelemetryPoint.class, TestRecords.mockConfig(scope), false).serializer()
                .serialize("telemetry", TestRecords.point());
    }

    private Kind kindOf(byte[] bytes) {
        return assertThrows(WireFormatException.class, () -> points.deserialize("telemetry", bytes)).kind();
    }

    @Test
    void textIsNotWireFormat() {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> points.deserialize("telemetry", "{\"channelId\":\"P-1\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Kind.NOT_WIRE_FORMAT, e.kind());
        assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
        assertTrue(e instanceof SerializationException, "callers catching SerializationException still see it");
    }

    @Test
    void emptyAndShortArraysAreNotWireFormat() {
        assertEquals(Kind.NOT_WIRE_FORMAT, kindOf(new byte[0]));
        assertEquals(Kind.NOT_WIRE_FORMAT, kindOf(new byte[] {0}));
        assertEquals(Kind.NOT_WIRE_FORMAT, kindOf(new byte[] {0, 0, 0, 1}));
    }

    @Test
    void wrongMagicByteIsNotWireFormat() {
        byte[] bytes = validPoint();
        bytes[0] = 1;
        assertEquals(Kind.NOT_WIRE_FORMAT, kindOf(bytes));
    }

    @Test
    void unknownIdIsUnknownSchemaId() {
        byte[] bytes = validPoint();
        ByteBuffer.wrap(bytes).putInt(1, 4242);
        WireFormatException e = assertThrows(WireFormatException.class, () -> points.deserialize("telemetry", bytes));
        assertEquals(Kind.UNKNOWN_SCHEMA_ID, e.kind());
        assertTrue(e.getMessage().contains("4242"), e.getMessage());
    }

    @Test
    void headerWithoutBodyIsUndecodable() {
        byte[] bytes = Arrays.copyOf(validPoint(), 5);
        assertEquals(Kind.UNDECODABLE, kindOf(bytes));
    }

    @Test
    void truncatedBodyIsUndecodable() {
        byte[] bytes = validPoint();
        assertEquals(Kind.UNDECODABLE, kindOf(Arrays.copyOf(bytes, bytes.length - 1)));
        assertEquals(Kind.UNDECODABLE, kindOf(Arrays.copyOf(bytes, 8)));
    }

    @Test
    void negativeStringLengthIsUndecodable() {
        byte[] bytes = validPoint();
        bytes[5] = 0x01; // zig-zag varint -1 as the channelId length
        assertEquals(Kind.UNDECODABLE, kindOf(bytes));
    }

    @Test
    void hugeStringLengthIsUndecodableWithoutAllocatingIt() {
        byte[] header = Arrays.copyOf(validPoint(), 5);
        // zig-zag varint 2^30: a 1 GiB channelId in a 10-byte record
        byte[] bytes = ByteBuffer.allocate(10).put(header).put(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}).array();
        assertEquals(Kind.UNDECODABLE, kindOf(bytes));
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] valid = validPoint();
        byte[] bytes = Arrays.copyOf(valid, valid.length + 3);
        WireFormatException e = assertThrows(WireFormatException.class, () -> points.deserialize("telemetry", bytes));
        assertEquals(Kind.UNDECODABLE, e.kind());
        assertTrue(e.getMessage().contains("3 bytes left over"), e.getMessage());
    }

    @Test
    void badUnionIndexIsUndecodable() throws IOException {
        ChannelScore score = TestRecords.score(null);
        byte[] bytes = AvroSerde.configured(ChannelScore.class, TestRecords.mockConfig(scope), false).serializer()
                .serialize("scores", score);
        // The last field, drift, is a union; null, it is its index alone: the last byte.
        int unionIndex = bytes.length - 1;
        assertEquals(0, bytes[unionIndex], "the null branch");
        bytes[unionIndex] = 0x06; // zig-zag 3: a branch the union does not have
        WireFormatException e = assertThrows(WireFormatException.class, () -> scores.deserialize("scores", bytes));
        assertEquals(Kind.UNDECODABLE, e.kind());
    }

    @Test
    void recordOfAnotherTypeIsUndecodable() {
        byte[] score = AvroSerde.configured(ChannelScore.class, TestRecords.mockConfig(scope), false).serializer()
                .serialize("telemetry", TestRecords.score(3));
        // Avro alone would decode it: the field names overlap. The record name does not.
        WireFormatException e = assertThrows(WireFormatException.class, () -> points.deserialize("telemetry", score));
        assertEquals(Kind.UNDECODABLE, e.kind());
        assertTrue(e.getMessage().contains("ChannelScore"), e.getMessage());
        WireFormatException again = assertThrows(WireFormatException.class, () -> points.deserialize("other", score));
        assertTrue(again.getMessage().contains("'other'"), "cached verdict, current topic: " + again.getMessage());
    }

    @Test
    void nonAvroSchemaIsUndecodable() {
        try (FakeRegistryServer server = FakeRegistryServer.start()) {
            AvroDeserializer<TelemetryPoint> deserializer = new AvroDeserializer<>(TelemetryPoint.class);
            deserializer.configure(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, server.url()), false);
            server.respondNext(1, 200, "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");
            byte[] bytes = validPoint();
            WireFormatException e = assertThrows(WireFormatException.class, () -> deserializer.deserialize("t", bytes));
            assertEquals(Kind.UNDECODABLE, e.kind());
            assertTrue(e.getMessage().contains("PROTOBUF"), e.getMessage());
        }
    }

    @Test
    void unreachableRegistryIsNotAWireFormatProblem() {
        AvroDeserializer<TelemetryPoint> deserializer = new AvroDeserializer<>(TelemetryPoint.class);
        deserializer.configure(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, FakeRegistryServer.deadUrl(),
                RegistryConfig.RETRY_ATTEMPTS, 1), false);
        byte[] bytes = validPoint();
        RuntimeException e = assertThrows(RuntimeException.class, () -> deserializer.deserialize("telemetry", bytes));
        assertTrue(e instanceof RegistryException, "got " + e);
        assertFalse(e instanceof SerializationException, "an outage must not look like a bad record");
        assertTrue(((RegistryException) e).isTransient());
    }

    @Test
    void registryErrorsAreNotCachedAsVerdicts() {
        try (FakeRegistryServer server = FakeRegistryServer.start()) {
            Map<String, Object> config = Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, server.url(),
                    RegistryConfig.RETRY_ATTEMPTS, 1);
            AvroSerde<TelemetryPoint> serde = AvroSerde.configured(TelemetryPoint.class, config, false);
            byte[] bytes = serde.serializer().serialize("telemetry", TestRecords.point());
            server.respondNext(1, 503, "{\"error_code\":50301,\"message\":\"leader election\"}");
            AvroDeserializer<TelemetryPoint> fresh = new AvroDeserializer<>(TelemetryPoint.class);
            fresh.configure(config, false);
            RegistryException e = assertThrows(RegistryException.class, () -> fresh.deserialize("telemetry", bytes));
            assertEquals(503, e.httpStatus());
            assertEquals(TestRecords.point(), fresh.deserialize("telemetry", bytes), "works once the registry is back");
        }
    }
}
