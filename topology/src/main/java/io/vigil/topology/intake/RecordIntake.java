package io.vigil.topology.intake;

import io.vigil.avro.DeadLetterReason;
import io.vigil.schemas.serde.WireFormatException;
import io.vigil.topology.deadletter.DeadLetters;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes raw input records and decides which can be processed. Decoding happens here rather than in
 * the source's deserializer so that a bad record becomes a dead letter with its reason and bytes
 * instead of stopping the stream thread.
 *
 * <p>Outcomes: garbage or truncated bytes, a tombstone -> MALFORMED (unless the intake keeps tombstones,
 * see {@link #keepingTombstones}); a schema id the registry does not
 * know -> UNKNOWN_SCHEMA; no key -> MISSING_KEY (the key decides the partition, so a keyless record
 * would land beside the wrong state); an empty key, one longer than {@link InputBounds#maxIdBytes} or
 * not valid UTF-8 -> INVALID_KEY (it would name state and outputs that no consumer can match); key
 * differing from the record's own id -> KEY_MISMATCH; then whatever the type's {@link Validator}
 * rejects. A registry outage is not the record's fault and is not caught: the thread fails, is
 * replaced, and retries the record.
 */
public final class RecordIntake<T> implements Processor<byte[], byte[], Object, Object> {

    /** A reason to refuse a decoded record, or none. */
    public record Rejection(DeadLetterReason reason, String detail) {}

    /** Checks a decoded record beyond its encoding, at {@code nowMs} on the wall clock; null when it is acceptable. */
    @FunctionalInterface
    public interface Validator<T> {
        Rejection check(T value, long nowMs);
    }

    private final Deserializer<T> deserializer;
    private final Function<T, String> idOf;
    private final Validator<T> validator;
    private final DeadLetters deadLetters;
    private final String nextName;
    private final boolean keepTombstones;
    private final int maxIdBytes;
    /** Strict: a key that is not valid UTF-8 is refused instead of read with replacement characters. */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private ProcessorContext<Object, Object> context;

    public RecordIntake(Deserializer<T> deserializer, Function<T, String> idOf, Validator<T> validator,
                        int maxIdBytes, DeadLetters deadLetters, String nextName) {
        this(deserializer, idOf, validator, maxIdBytes, deadLetters, nextName, false);
    }

    private RecordIntake(Deserializer<T> deserializer, Function<T, String> idOf, Validator<T> validator,
                         int maxIdBytes, DeadLetters deadLetters, String nextName, boolean keepTombstones) {
        this.deserializer = deserializer;
        this.maxIdBytes = maxIdBytes;
        this.idOf = idOf;
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.nextName = nextName;
        this.keepTombstones = keepTombstones;
    }

    /**
     * An intake for a compacted topic, where a keyed tombstone means "this id has nothing any more":
     * it is forwarded as a {@link Received} with a null value instead of being dead-lettered. A
     * tombstone without a key is still MISSING_KEY.
     */
    public static <T> RecordIntake<T> keepingTombstones(Deserializer<T> deserializer, Function<T, String> idOf,
                                                        Validator<T> validator, int maxIdBytes,
                                                        DeadLetters deadLetters, String nextName) {
        return new RecordIntake<>(deserializer, idOf, validator, maxIdBytes, deadLetters, nextName, true);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] key = record.key();
        byte[] value = record.value();
        if (value == null) {
            if (!keepTombstones) {
                reject(record, DeadLetterReason.MALFORMED, "tombstone: null value");
            } else if (key == null) {
                reject(record, DeadLetterReason.MISSING_KEY, "tombstone without a key");
            } else {
                String id = id(key);
                if (id == null) {
                    reject(record, DeadLetterReason.INVALID_KEY, invalidKey(key));
                } else {
                    context.forward(new Record<Object, Object>(id, new Received<T>(null, key, null),
                            record.timestamp()), nextName);
                }
            }
            return;
        }
        T decoded;
        try {
            decoded = deserializer.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(""), value);
        } catch (WireFormatException e) {
            DeadLetterReason reason = e.kind() == WireFormatException.Kind.UNKNOWN_SCHEMA_ID
                    ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.MALFORMED;
            reject(record, reason, e.getMessage());
            return;
        } catch (SerializationException e) {
            reject(record, DeadLetterReason.MALFORMED, String.valueOf(e.getMessage()));
            return;
        }
        if (key == null) {
            reject(record, DeadLetterReason.MISSING_KEY, "no key; records must be keyed by their id");
            return;
        }
        String id = id(key);
        if (id == null) {
            reject(record, DeadLetterReason.INVALID_KEY, invalidKey(key));
            return;
        }
        if (!id.equals(idOf.apply(decoded))) {
            reject(record, DeadLetterReason.KEY_MISMATCH, "key '" + id + "' differs from the record's id '"
                    + abbreviated(idOf.apply(decoded)) + "'");
            return;
        }
        Rejection rejection = validator.check(decoded, context.currentSystemTimeMs());
        if (rejection != null) {
            reject(record, rejection.reason(), rejection.detail());
            return;
        }
        context.forward(new Record<Object, Object>(id, new Received<>(decoded, key, value), record.timestamp()), nextName);
    }

    /** The key as an id, or null when it is empty, too long or not UTF-8. */
    private String id(byte[] key) {
        if (key.length == 0 || key.length > maxIdBytes) {
            return null;
        }
        try {
            return utf8.decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private String invalidKey(byte[] key) {
        return key.length == 0 ? "empty key; records must be keyed by their id"
                : key.length > maxIdBytes ? "key of " + key.length + " bytes; ids may have at most " + maxIdBytes
                : "key is not valid UTF-8";
    }

    private static String abbreviated(String id) {
        return id.length() <= 200 ? id : id.substring(0, 200) + "... (" + id.length() + " chars)";
    }

    private void reject(Record<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        deadLetters.send(context, record, record.key(), record.value(), reason, detail);
    }
}
