package io.vigil.bridge.kafka;

import io.vigil.config.ClientSettings;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How the bridge's consumers are configured: no consumer group (partitions are assigned directly and
 * positions live in event ids, so there is nothing to commit, and several bridges each see
 * everything), read_committed (under exactly-once the topology may abort writes, which a dashboard
 * must not show), never creating topics, and falling back to the oldest retained record when a
 * position has expired.
 */
public final class KafkaConsumers {

    /**
     * Consumers for the live feed. Fetches wait up to 10 ms for 64 KB: at thousands of records a
     * second that turns hundreds of tiny batches into about a hundred, and every batch costs a wake-up
     * and a write per client; when traffic is light the 10 ms is all it costs.
     */
    public static Supplier<Consumer<byte[], byte[]>> feed(ClientSettings clients) {
        Map<String, Object> config = new HashMap<>(config("vigil-sse-bridge", 2000));
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        Map<String, Object> fixed = Map.copyOf(clients.consumer(config));
        return () -> new KafkaConsumer<>(fixed, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Consumers for resume catch-up readers: small batches, so a resume is paced by its client. */
    public static Supplier<Consumer<byte[], byte[]>> catchUp(ClientSettings clients) {
        return () -> new KafkaConsumer<>(clients.consumer(config("vigil-sse-bridge-resume-" + System.nanoTime(), 500)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The heartbeat watch's consumer: heartbeats are small, and a node's age is wanted within a second. */
    public static Supplier<Consumer<byte[], byte[]>> heartbeats(ClientSettings clients) {
        Map<String, Object> fixed = Map.copyOf(clients.consumer(config("vigil-sse-bridge-heartbeats", 2000)));
        return () -> new KafkaConsumer<>(fixed, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Map<String, Object> config(String clientId, int maxPollRecords) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return Map.copyOf(config);
    }

    private KafkaConsumers() {}
}
