package io.vigil.topology;

import io.vigil.config.Settings;
import io.vigil.topology.heartbeat.LivenessSettings;
import io.vigil.topology.scoring.BaselineDetector;
import io.vigil.topology.scoring.ScoringSettings;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the scorer needs to know at start-up, read once from {@link Settings}. Defaults run
 * against the local stack.
 *
 * @param applicationId Kafka Streams application id: consumer group, state and changelog prefix
 * @param bootstrapServers Kafka brokers
 * @param schemaRegistryUrl schema registry (Confluent REST API), or {@code mock://scope} in tests
 * @param stateDir where RocksDB keeps channel state
 * @param streamThreads stream threads in this instance
 * @param replicationFactor replication of changelog and repartition topics (1 for one local broker)
 * @param commitIntervalMs how often transactions commit; bounds end-to-end latency under exactly-once
 * @param storeCacheBytes Kafka Streams' record cache over the scorer's stores, shared by the instance's
 *     threads ({@code statestore.cache.max.bytes}); 0 sends every write to RocksDB and the changelog
 * @param metricsPort port of the Prometheus endpoint, 0 to disable it
 * @param baseline settings of the fallback detector for channels without a model
 * @param scoring model cache, weight precision and the long-gap rule of the LSTM scorer
 * @param liveness when silent nodes count as FAULTED
 */
public record TopologyConfig(
        String applicationId,
        String bootstrapServers,
        String schemaRegistryUrl,
        Path stateDir,
        int streamThreads,
        int replicationFactor,
        long commitIntervalMs,
        long storeCacheBytes,
        int metricsPort,
        BaselineDetector.Settings baseline,
        ScoringSettings scoring,
        LivenessSettings liveness) {

    public static TopologyConfig from(Settings s) {
        return new TopologyConfig(
                s.get("application.id", "vigil-scorer"),
                s.get("bootstrap.servers", "localhost:9092"),
                s.get("schema.registry.url", "http://localhost:8081"),
                Path.of(s.get("state.dir", System.getProperty("java.io.tmpdir") + "/vigil-streams")),
                s.getInt("stream.threads", 1),
                s.getInt("replication.factor", 1),
                s.getLong("commit.interval.ms", 100),
                s.getLong("store.cache.bytes", 10L << 20),
                s.getInt("metrics.port", 9404),
                new BaselineDetector.Settings(
                        s.getInt("baseline.error.span", BaselineDetector.Settings.DEFAULT.errorSpan()),
                        s.getInt("baseline.stats.span", BaselineDetector.Settings.DEFAULT.statsSpan()),
                        s.getDouble("baseline.k", BaselineDetector.Settings.DEFAULT.k()),
                        s.getInt("baseline.warmup", BaselineDetector.Settings.DEFAULT.warmup())),
                scoring(s),
                liveness(s));
    }

    private static ScoringSettings scoring(Settings s) {
        ScoringSettings d = ScoringSettings.DEFAULT;
        String precision = s.get("scoring.model.precision", "float32").toUpperCase(java.util.Locale.ROOT);
        return new ScoringSettings(
                s.getInt("scoring.model.cache.size", d.modelCacheSize()),
                LstmParameters.Precision.valueOf(precision),
                s.getLong("scoring.max.gap.ms", d.maxGapMs()),
                s.getDouble("scoring.max.gap.intervals", d.maxGapIntervals()));
    }

    private static LivenessSettings liveness(Settings s) {
        LivenessSettings d = LivenessSettings.DEFAULT;
        String mode = s.get("liveness.time.mode", d.timeMode().name()).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return new LivenessSettings(
                LivenessSettings.TimeMode.valueOf(mode),
                s.getLong("liveness.default.interval.ms", d.defaultIntervalMs()),
                s.getLong("liveness.floor.interval.ms", d.floorIntervalMs()),
                s.getInt("liveness.missed.beats", d.missedBeats()),
                s.getDouble("liveness.grace", d.graceFraction()),
                s.getLong("liveness.check.interval.ms", d.checkIntervalMs()),
                s.getDouble("liveness.learning.rate", d.learningRate()));
    }

    /** Serde settings for the registry-backed Avro serdes. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", schemaRegistryUrl);
        return config;
    }

    /** Kafka Streams properties: exactly-once v2, because a score must not be written twice. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, storeCacheBytes);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        // Changelogs carry the input's event time, which a fast replay puts far ahead of the clock.
        p.put(StreamsConfig.topicPrefix(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG), Long.toString(Long.MAX_VALUE));
        return p;
    }
}
