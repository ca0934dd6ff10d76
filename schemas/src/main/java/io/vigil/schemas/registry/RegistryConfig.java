package io.vigil.schemas.registry;

/**
 * Configuration keys of the registry client and the Avro serdes.
 *
 * <p>The first four keep Confluent's names exactly, so a configuration written for Confluent's serdes
 * (and a Confluent, Apicurio ccompat or Karapace registry behind it) works unchanged. The retry keys
 * are Vigil's own and carry a {@code vigil.} prefix so they can never collide with a Confluent key.
 */
public final class RegistryConfig {

    /** Comma-separated base URLs ({@code http(s)://...}), or a single {@code mock://<scope>}. Required. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    /** Whether the serializer registers its schema ({@code true}, the default) or only looks its id up. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

    /** {@code user:password} for HTTP basic authentication. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    /**
     * {@code USER_INFO} (take {@link #BASIC_AUTH_USER_INFO}) or {@code URL} (take the user info of each
     * URL). Defaults to {@code USER_INFO} when {@link #BASIC_AUTH_USER_INFO} is set, else {@code URL}.
     */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

    /**
     * Prefix of Confluent's TLS keys for the registry connection: {@code schema.registry.ssl.} followed by
     * {@code truststore.location}, {@code truststore.password}, {@code truststore.type} (default JKS, or
     * PKCS12/PEM), {@code keystore.location}, {@code keystore.password}, {@code keystore.type} and
     * {@code key.password} for a client certificate.
     */
    public static final String SSL_PREFIX = "schema.registry.ssl.";

    /** How many times one REST call is tried before giving up (default 3). */
    public static final String RETRY_ATTEMPTS = "vigil.schema.registry.retry.attempts";

    /** Backoff before the second attempt, doubled for each later one (default 100 ms). */
    public static final String RETRY_BACKOFF_MS = "vigil.schema.registry.retry.backoff.ms";

    private RegistryConfig() {
    }
}
