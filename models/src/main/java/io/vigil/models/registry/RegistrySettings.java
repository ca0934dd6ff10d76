package io.vigil.models.registry;

import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * Where releases go, read through {@link Settings} like every Vigil service: Kafka and the schema
 * registry as {@link ClientSettings} ({@code VIGIL_BOOTSTRAP_SERVERS}, {@code VIGIL_SCHEMA_REGISTRY_URL},
 * {@code mock://scope} in tests, {@code VIGIL_KAFKA_*}, registry credentials and TLS),
 * {@code replication.factor} (for the versions topic when it is created) and
 * {@code models.versions.topic} (default {@value #DEFAULT_VERSIONS_TOPIC}).
 *
 * @param timeout how long one registry operation may wait for the broker
 */
public record RegistrySettings(ClientSettings clients, String modelsTopic, String versionsTopic,
        short replicationFactor, Duration timeout) {

    public static final String DEFAULT_VERSIONS_TOPIC = "vigil.model-versions";

    public static RegistrySettings from(Settings s) {
        return new RegistrySettings(
                ClientSettings.from(s),
                Topics.MODELS.name(),
                s.get("models.versions.topic", DEFAULT_VERSIONS_TOPIC),
                (short) s.getInt("replication.factor", 1),
                Duration.ofSeconds(s.getLong("models.registry.timeout.seconds", 120)));
    }

    /** Settings for the registry-backed Avro serdes. */
    Map<String, Object> serdeConfig() {
        return clients.registry().serdeConfig();
    }

    /** The versions topic as a topic declaration: compacted, keyed {@code <channel>@<version>}. */
    Topics.Spec versionsSpec() {
        return new Topics.Spec(versionsTopic, true, "every released model version, keyed channel@version");
    }
}
