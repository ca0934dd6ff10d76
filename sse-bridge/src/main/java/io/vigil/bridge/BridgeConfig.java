package io.vigil.bridge;

import io.vigil.config.Settings;
import io.vigil.schemas.Topics;

import java.time.Duration;

/**
 * The bridge's settings, read once at start-up through {@link Settings} (system property
 * {@code vigil.<key>}, then environment {@code VIGIL_<KEY>}, then the default).
 *
 * <p>Keys and defaults: {@code bootstrap.servers} (localhost:9092), {@code schema.registry.url}
 * (http://localhost:8081), {@code bridge.topic} (vigil.scores), {@code bridge.host} (127.0.0.1),
 * {@code bridge.port} (8080), {@code bridge.client.queue.size} (1000),
 * {@code bridge.keepalive.seconds} (15).
 *
 * <p>The listener binds to the loopback address by default so that a developer's dashboard is not
 * exposed to the network by accident; containers set {@code bridge.host=0.0.0.0} explicitly.
 */
public record BridgeConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String topic,
        String host,
        int port,
        int clientQueueSize,
        Duration keepAlive) {

    public static final String DEFAULT_HOST = "127.0.0.1";

    public BridgeConfig {
        requireText("bootstrap.servers", bootstrapServers);
        requireText("schema.registry.url", schemaRegistryUrl);
        requireText("bridge.topic", topic);
        requireText("bridge.host", host);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("bridge.port must be 0..65535, was " + port);
        }
        if (clientQueueSize < 1) {
            throw new IllegalArgumentException("bridge.client.queue.size must be at least 1, was " + clientQueueSize);
        }
        if (keepAlive == null || keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("bridge.keepalive.seconds must be positive, was " + keepAlive);
        }
    }

    /** Reads every key once; a malformed number fails here, at start-up, rather than later. */
    public static BridgeConfig from(Settings settings) {
        return new BridgeConfig(
                settings.get("bootstrap.servers", "localhost:9092"),
                settings.get("schema.registry.url", "http://localhost:8081"),
                settings.get("bridge.topic", Topics.SCORES.name()),
                settings.get("bridge.host", DEFAULT_HOST),
                settings.getInt("bridge.port", 8080),
                settings.getInt("bridge.client.queue.size", 1000),
                Duration.ofSeconds(settings.getLong("bridge.keepalive.seconds", 15)));
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
    }
}
