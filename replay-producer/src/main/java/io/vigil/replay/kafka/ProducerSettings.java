package io.vigil.replay.kafka;

import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The replay's producer configuration. Decisions: durable and ordered ({@code acks=all}, idempotence,
 * so a retry never duplicates or reorders a channel's points); built for throughput (lz4, 256 KB
 * batches, 10 ms linger: an as-fast-as-possible replay fills batches long before the linger ends, a paced
 * one adds at most 10 ms); and bounded, so a broker that is away fails the run instead of hanging it:
 * {@code deliveryTimeout} caps each record's retries, {@code maxBlock} caps waits for metadata and buffer
 * space. The operator's client settings ({@code vigil.kafka.*}: security, tuning) come on top, and
 * {@code overrides} ({@code --producer-config}) win over all of this.
 */
public record ProducerSettings(ClientSettings clients, Duration deliveryTimeout, Duration maxBlock,
        Map<String, String> overrides) {

    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(15);
    static final int LINGER_MS = 10;

    public ProducerSettings {
        overrides = Map.copyOf(overrides);
    }

    /**
     * The replay's settings: Kafka and the registry ({@link ClientSettings}), {@code replay.delivery.timeout.ms}
     * and {@code replay.max.block.ms}, with the command line's {@code overrides} on top.
     */
    public static ProducerSettings from(Settings s, Map<String, String> overrides) {
        return new ProducerSettings(ClientSettings.from(s),
                Duration.ofMillis(s.getLong("replay.delivery.timeout.ms", DEFAULT_DELIVERY_TIMEOUT.toMillis())),
                Duration.ofMillis(s.getLong("replay.max.block.ms", DEFAULT_MAX_BLOCK.toMillis())),
                overrides);
    }

    public Map<String, Object> toConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-replay");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
        Map<String, Object> merged = clients.producer(config);
        merged.putAll(overrides);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms: derived from the effective
        // values, after the operator's, unless the operator chose the request timeout too.
        if (!merged.containsKey(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)) {
            long delivery = Long.parseLong(merged.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).toString());
            long linger = Long.parseLong(merged.get(ProducerConfig.LINGER_MS_CONFIG).toString());
            merged.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, Math.min(30_000, delivery - linger)));
        }
        return merged;
    }
}
