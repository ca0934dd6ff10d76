package io.vigil.schemas.serde;

import io.vigil.schemas.registry.RegistryConfig;
import io.vigil.schemas.registry.RegistryException;
import io.vigil.schemas.registry.SchemaNotFoundException;
import io.vigil.schemas.registry.SchemaRegistryClient;
import io.vigil.schemas.registry.SchemaRegistryClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a SpecificRecord in the registry wire format ({@link WireFormat}) under the subject
 * {@code <topic>-value} or {@code <topic>-key} (Confluent's TopicNameStrategy).
 *
 * <p>With {@code auto.register.schemas=true} (the default) the record's schema is registered; with
 * {@code false} it must already be registered under the subject, else serializing fails with a
 * {@link SerializationException} that says so. The id is cached per topic, so the registry is asked once
 * per topic and schema. A registry that cannot be reached (or answers 5xx) surfaces as a
 * {@link RegistryException}, any permanent refusal as a {@link SerializationException}. {@code null}
 * serializes to {@code null} (a tombstone). Thread-safe, as Kafka producers require.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private record WriterId(Schema schema, int id) {
    }

    private final Map<String, WriterId> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Class<?>, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient registry;
    private volatile boolean autoRegister = true;
    private volatile boolean isKey;

    /** Unconfigured; Kafka (or {@link AvroSerde}) calls {@link #configure(Map, boolean)}. */
    public AvroSerializer() {
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClients.create(configs);
        this.autoRegister = booleanSetting(configs, RegistryConfig.AUTO_REGISTER_SCHEMAS, true);
        this.isKey = isKey;
        idsByTopic.clear();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (topic == null) {
            throw new SerializationException("A topic is needed to name the subject (<topic>-value/-key)");
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            byte[] header = new byte[WireFormat.HEADER_LENGTH];
            WireFormat.writeHeader(header, id);
            out.write(header);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(record).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getFullName() + " for topic '" + topic + "': "
                    + e.getMessage(), e);
        }
    }

    private int schemaId(String topic, Schema schema) {
        WriterId cached = idsByTopic.get(topic);
        // Identity, not equals: a generated class has one Schema instance, so this is cheap and exact.
        if (cached != null && cached.schema() == schema) {
            return cached.id();
        }
        String subject = topic + (isKey ? "-key" : "-value");
        int id;
        try {
            id = autoRegister ? registry().register(subject, schema) : registry().getId(subject, schema);
        } catch (SchemaNotFoundException e) {
            throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject '"
                    + subject + "' and " + RegistryConfig.AUTO_REGISTER_SCHEMAS + " is false: register it first", e);
        } catch (RegistryException e) {
            if (e.isTransient()) {
                throw e;
            }
            throw new SerializationException("The registry refused schema " + schema.getFullName() + " for subject '"
                    + subject + "': " + e.getMessage(), e);
        }
        idsByTopic.put(topic, new WriterId(schema, id));
        return id;
    }

    private DatumWriter<Object> writerFor(T record) {
        // The class's own SpecificData carries its logical-type conversions (Instant for timestamps).
        return writers.computeIfAbsent(record.getClass(),
                c -> new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForClass(c)));
    }

    private SchemaRegistryClient registry() {
        SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        return client;
    }

    static boolean booleanSetting(Map<String, ?> configs, String key, boolean fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "must be true or false");
    }
}
