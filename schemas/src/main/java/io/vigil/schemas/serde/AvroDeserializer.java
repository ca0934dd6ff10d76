package io.vigil.schemas.serde;

import io.vigil.schemas.registry.SchemaNotFoundException;
import io.vigil.schemas.registry.SchemaRegistryClient;
import io.vigil.schemas.registry.SchemaRegistryClients;
import io.vigil.schemas.serde.WireFormatException.Kind;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the registry wire format ({@link WireFormat}) into a {@code T}, resolving the writer's schema
 * (fetched by id, cached by the client) against {@code T}'s, so records written with an older or newer
 * compatible schema decode, with defaults for fields the writer did not have.
 *
 * <p>Decides what is the record's fault: wrong framing, unknown schema id and undecodable bodies throw
 * {@link WireFormatException} with a {@link WireFormatException.Kind}; registry outages propagate as
 * {@link io.vigil.schemas.registry.RegistryException}; a {@link SecurityException} (Avro refusing a
 * class) propagates too, as it is a deployment fault, not a bad record. Bytes left over after the record
 * are rejected as {@link WireFormatException.Kind#UNDECODABLE}: a correct writer never leaves any, so
 * they mean corruption or a wrong schema id, and decoding a prefix would hand out a plausible but wrong
 * record. A writer schema that Avro's compatibility rules say {@code T} cannot read (another record
 * name, a missing field without default, ...) is {@link WireFormatException.Kind#UNDECODABLE} as well.
 * {@code null} deserializes to {@code null}.
 *
 * <p>Configuring it makes Avro trust the packages of {@code T}'s types ({@link AvroTrust}), so it works
 * without {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Class<T> type;
    private final Schema readerSchema;
    private final SpecificData model;
    private final Map<Integer, WriterPlan<T>> plansByWriterId = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient registry;

    public AvroDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        // The class's own SpecificData carries its logical-type conversions (Instant for timestamps).
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistryClients.create(configs);
        plansByWriterId.clear();
        AvroTrust.trustPackagesOf(type, readerSchema);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < WireFormat.HEADER_LENGTH) {
            throw new WireFormatException(Kind.NOT_WIRE_FORMAT, where(topic) + data.length
                    + " bytes, shorter than the 5-byte schema registry header", null);
        }
        if (data[0] != WireFormat.MAGIC) {
            throw new WireFormatException(Kind.NOT_WIRE_FORMAT, where(topic) + String.format(
                    "first byte 0x%02x is not the magic byte 0x00 of the schema registry format", data[0]), null);
        }
        int id = WireFormat.readSchemaId(data);
        WriterPlan<T> plan = planFor(topic, id);
        if (plan.rejection() != null) {
            throw new WireFormatException(Kind.UNDECODABLE, where(topic) + plan.rejection(), null);
        }
        return decode(topic, id, plan.reader(), data);
    }

    /** How to read one writer id: a resolving reader, or why {@code T} cannot read that schema. */
    private record WriterPlan<R>(DatumReader<R> reader, String rejection) {
    }

    private WriterPlan<T> planFor(String topic, int id) {
        WriterPlan<T> plan = plansByWriterId.get(id);
        if (plan != null) {
            return plan;
        }
        SchemaRegistryClient client = registry;
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        Schema writerSchema;
        try {
            writerSchema = client.getById(id);
        } catch (SchemaNotFoundException e) {
            throw new WireFormatException(Kind.UNKNOWN_SCHEMA_ID,
                    where(topic) + "schema id " + id + " is unknown to the registry", e);
        } catch (SchemaParseException e) {
            throw new WireFormatException(Kind.UNDECODABLE,
                    where(topic) + "schema id " + id + " is not a usable Avro schema: " + e.getMessage(), e);
        }
        plan = plan(id, writerSchema);
        WriterPlan<T> raced = plansByWriterId.putIfAbsent(id, plan);
        return raced != null ? raced : plan;
    }

    /**
     * Avro's resolver matches fields by name only, so without this check a ChannelScore on the telemetry
     * topic would decode as a TelemetryPoint. The full rules (record names and aliases, types, defaults)
     * are checked once per writer id; a refusal is cached too, as both schemas are immutable.
     */
    private WriterPlan<T> plan(int id, Schema writerSchema) {
        SchemaCompatibility.SchemaPairCompatibility verdict =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (verdict.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return new WriterPlan<>(new SpecificDatumReader<>(writerSchema, readerSchema, model), null);
        }
        String why = verdict.getResult().getIncompatibilities().stream()
                .map(i -> i.getMessage() + " at " + i.getLocation())
                .findFirst().orElse(verdict.getDescription());
        return new WriterPlan<>(null, "writer schema " + id + " (" + writerSchema.getFullName() + ") cannot be read as "
                + readerSchema.getFullName() + ": " + why);
    }

    private T decode(String topic, int id, DatumReader<T> reader, byte[] data) {
        int bodyLength = data.length - WireFormat.HEADER_LENGTH;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_LENGTH, bodyLength, null);
        T record;
        try {
            record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(Kind.UNDECODABLE, where(topic) + decoder.remainingBytes()
                        + " bytes left over after a " + type.getSimpleName() + " (schema id " + id + ")", null);
            }
        } catch (WireFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            rethrowIfSecurity(e);
            // Garbage shows up as any of EOF, AvroRuntimeException, index or size errors, ClassCast...
            throw new WireFormatException(Kind.UNDECODABLE, where(topic) + "cannot decode " + bodyLength
                    + " body bytes with schema id " + id + " as " + type.getSimpleName() + ": " + e, e);
        }
        return record;
    }

    private static void rethrowIfSecurity(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SecurityException security) {
                throw security;
            }
        }
    }

    private static String where(String topic) {
        return "Record on topic '" + topic + "': ";
    }
}
