package io.vigil.schemas.serde;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * These bytes can never be decoded, however often one tries: the record is bad, not the system.
 *
 * <p>Thrown only for faults of the record itself, so a topology may dead-letter it and move on. A
 * registry that cannot be reached is deliberately <em>not</em> reported this way (the
 * {@link io.vigil.schemas.registry.RegistryException} propagates), because a transient outage must not
 * dead-letter good data.
 */
public final class WireFormatException extends SerializationException {

    /** Why the bytes are unusable; topologies map it to a dead-letter reason. */
    public enum Kind {
        /** Shorter than the 5-byte header, or the first byte is not the magic byte 0. */
        NOT_WIRE_FORMAT,
        /** Framed correctly, but the registry says it has no schema with this id. */
        UNKNOWN_SCHEMA_ID,
        /**
         * The Avro body does not decode with its writer schema into the expected type: truncated,
         * corrupt, trailing bytes after the record, a writer schema that is not Avro or cannot be
         * resolved against the reader's.
         */
        UNDECODABLE
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public WireFormatException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
