package io.vigil.local.registry;

/**
 * A failure the REST API reports to the client as {@code {"error_code":N,"message":...}}, with
 * Confluent's codes: the HTTP status is the code's first three digits ({@code 40401} is a 404).
 */
final class RegistryException extends RuntimeException {

    private final int errorCode;

    RegistryException(int errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    RegistryException(int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    int errorCode() {
        return errorCode;
    }

    int httpStatus() {
        return errorCode >= 10_000 ? errorCode / 100 : errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, int version) {
        return new RegistryException(40402, "Version " + version + " of subject '" + subject + "' not found.");
    }

    static RegistryException schemaNotFound(String detail) {
        return new RegistryException(40403, "Schema not found: " + detail);
    }

    static RegistryException subjectLevelConfigNotFound(String subject) {
        return new RegistryException(40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryException incompatible(String message) {
        return new RegistryException(409, message);
    }

    static RegistryException invalidSchema(String message, Throwable cause) {
        return new RegistryException(42201, "Invalid schema: " + message, cause);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibilityLevel(String level) {
        return new RegistryException(42203, "Invalid compatibility level: " + level);
    }

    static RegistryException storeError(String message, Throwable cause) {
        return new RegistryException(50001, "Error in the backend data store: " + message, cause);
    }
}
