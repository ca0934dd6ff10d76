package io.vigil.schemas.registry;

/**
 * The registry positively said that a subject, version or schema does not exist (error codes 404xx:
 * 40401 subject, 40402 version, 40403 schema). Unlike a plain {@link RegistryException} this is a fact
 * about the request, not an outage, so a deserializer may treat the record as undecodable.
 */
public class SchemaNotFoundException extends RegistryException {

    /** Confluent's code for an unknown subject. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent's code for an unknown version of a known subject. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent's code for an unknown schema (by id, or not under the subject). */
    public static final int SCHEMA_NOT_FOUND = 40403;

    public SchemaNotFoundException(int errorCode, String message) {
        super(404, errorCode, message);
    }

    /** Whether a registry error code means "not found" (the 404xx family). */
    public static boolean isNotFoundCode(int errorCode) {
        return errorCode / 100 == 404;
    }
}
