package io.vigil.schemas.serde;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link AvroSerializer} and {@link AvroDeserializer} for one record type, configured together; the
 * serde for Kafka Streams. Use {@link #configured(Class, Map, boolean)} outside Kafka's own configure
 * cycle.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer = new AvroSerializer<>();
    private final AvroDeserializer<T> deserializer;

    public AvroSerde(Class<T> type) {
        this.deserializer = new AvroDeserializer<>(Objects.requireNonNull(type, "type"));
    }

    /** A serde for {@code type}, already configured (as a key serde when {@code isKey}). */
    public static <T extends SpecificRecord> AvroSerde<T> configured(Class<T> type, Map<String, ?> configs,
            boolean isKey) {
        AvroSerde<T> serde = new AvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
