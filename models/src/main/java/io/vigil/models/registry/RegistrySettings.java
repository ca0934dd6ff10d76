package io.vigil.models.registry;

import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Where releases go, read through {@link Settings} like every Vigil service: {@code bootstrap.servers}
 * ({@code VIGIL_BOOTSTRAP_SERVERS}), {@code schema.registry.url} ({@code VIGIL_SCHEMA_REGISTRY_URL};
 * {@code mock://scope} in tests), {@code replication.factor} (for the versions topic when it is created),
 * {@code schema.registry.basic.auth.user.info} (passed to the serdes as Confluent's
 * {@code basic.auth.user.info}) and {@code models.versions.topic} (default {@value #DEFAULT_VERSIONS_TOPIC}).
 *
 * @param timeout how long one registry operation may wait for the broker
 */
public record RegistrySettings(String bootstrapServers, String schemaRegistryUrl, String userInfo, String modelsTopic,
        String versionsTopic, short replicationFactor, Duration timeout) {

    public static final String DEFAULT_VERSIONS_TOPIC = "vigil.model-versions";

    public static RegistrySettings from(Settings s) {
        return new RegistrySettings(
                s.get("bootstrap.servers", "localhost:9092"),
                s.get("schema.registry.url", "http://localhost:8081"),
                s.find("schema.registry.basic.auth.user.info").orElse(null),
                Topics.MODELS.name(),
                s.get("models.versions.topic", DEFAULT_VERSIONS_TOPIC),
                (short) s.getInt("replication.factor", 1),
                Duration.ofSeconds(s.getLong("models.registry.timeout.seconds", 120)));
    }

    /** Settings for the registry-backed Avro serdes. */
    Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", schemaRegistryUrl);
        if (userInfo != null) {
            config.put("basic.auth.credentials.source", "USER_INFO");
            config.put("basic.auth.user.info", userInfo);
        }
        return config;
    }

    /** The versions topic as a topic declaration: compacted, keyed {@code <channel>@<version>}. */
    Topics.Spec versionsSpec() {
        return new Topics.Spec(versionsTopic, true, "every released model version, keyed channel@version");
    }
}
