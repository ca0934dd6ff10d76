package io.vigil.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.registry.RegistryConfig;
import io.vigil.schemas.registry.SchemaNotFoundException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutoRegisterTest {

    private final String scope = TestRecords.newScope();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private AvroSerializer<TelemetryPoint> serializer(Object autoRegister) {
        Map<String, Object> config = new HashMap<>(TestRecords.mockConfig(scope));
        config.put(RegistryConfig.AUTO_REGISTER_SCHEMAS, autoRegister);
        AvroSerializer<TelemetryPoint> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    @Test
    void withoutRegistrationItFailsClearlyAndRegistersNothing() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serializer(false).serialize("telemetry", TestRecords.point()));
        assertTrue(e.getMessage().contains("telemetry-value"), e.getMessage());
        assertTrue(e.getMessage().contains(RegistryConfig.AUTO_REGISTER_SCHEMAS), e.getMessage());
        assertInstanceOf(SchemaNotFoundException.class, e.getCause());
        assertEquals(List.of(), MockSchemaRegistry.scope(scope).subjects());
    }

    @Test
    void otherVersionsOfTheSubjectDoNotCount() {
        Schema other = SchemaBuilder.record("TelemetryPoint").namespace("io.vigil.avro").fields()
                .requiredString("channelId").endRecord();
        MockSchemaRegistry.scope(scope).register("telemetry-value", other);
        assertThrows(SerializationException.class, () -> serializer("false").serialize("telemetry", TestRecords.point()));
    }

    @Test
    void withRegistrationItUsesTheRegisteredId() {
        MockSchemaRegistry registry = MockSchemaRegistry.scope(scope);
        registry.register("unrelated-value", TelemetryPoint.getClassSchema().getField("value").schema());
        int id = registry.register("telemetry-value", TelemetryPoint.getClassSchema());
        byte[] bytes = serializer("false").serialize("telemetry", TestRecords.point());
        assertEquals(2, id);
        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt());
        assertEquals(List.of("telemetry-value", "unrelated-value"), registry.subjects(), "nothing new registered");
    }

    @Test
    void defaultRegisters() {
        byte[] bytes = serializer(true).serialize("telemetry", TestRecords.point());
        assertEquals(MockSchemaRegistry.scope(scope).getId("telemetry-value", TelemetryPoint.getClassSchema()),
                ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void incompatibleSchemaIsRefusedAsSerializationError() {
        Schema previous = SchemaBuilder.record("TelemetryPoint").namespace("io.vigil.avro").fields()
                .requiredString("channelId").requiredString("unit").endRecord();
        MockSchemaRegistry.scope(scope).register("telemetry-value", previous);
        // The current schema needs eventTime and value, which "previous" never wrote and have no default.
        SerializationException e = assertThrows(SerializationException.class,
                () -> serializer(true).serialize("telemetry", TestRecords.point()));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void nonsenseValueIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> serializer("sometimes"));
        assertTrue(e.getMessage().contains(RegistryConfig.AUTO_REGISTER_SCHEMAS), e.getMessage());
    }
}
