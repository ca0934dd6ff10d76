package io.vigil.topology;

import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import io.vigil.topology.deadletter.DeadLetterRecords;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.deadletter.ProcessingErrorHandler;
import io.vigil.topology.deadletter.ProductionErrorHandler;
import io.vigil.topology.heartbeat.LivenessSettings;
import io.vigil.topology.intake.BoundedTimestamps;
import io.vigil.topology.intake.InputBounds;
import io.vigil.topology.scoring.BaselineDetector;
import io.vigil.topology.scoring.ScoringSettings;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the scorer needs to know at start-up, read once from {@link Settings}. Defaults run
 * against the local stack.
 *
 * @param applicationId Kafka Streams application id: consumer group, state and changelog prefix
 * @param clients Kafka brokers, the schema registry ({@code mock://scope} in tests) and the client
 *     settings passed through to Streams' clients ({@code vigil.kafka.*}, e.g. TLS and SASL)
 * @param stateDir where RocksDB keeps channel state
 * @param streamThreads stream threads in this instance
 * @param replicationFactor replication of changelog and repartition topics (1 for one local broker)
 * @param commitIntervalMs how often transactions commit; bounds end-to-end latency under exactly-once
 * @param storeCacheBytes Kafka Streams' record cache over the channel-state store, shared by the
 *     instance's threads ({@code statestore.cache.max.bytes}); 0 sends every write to RocksDB and the
 *     changelog
 * @param metricsPort port of the Prometheus endpoint, 0 to disable it
 * @param baseline settings of the fallback detector for channels without a model
 * @param scoring model cache, weight precision and the long-gap rule of the LSTM scorer
 * @param liveness when silent nodes count as FAULTED
 * @param bounds how far event times, values and ids of accepted records may stray
 * @param deadLetterMaxBytes the largest dead letter written; larger ones keep a prefix of the input
 * @param lifecycle standby replicas, group membership, shutdown and thread-replacement limits
 */
public record TopologyConfig(
        String applicationId,
        ClientSettings clients,
        Path stateDir,
        int streamThreads,
        int replicationFactor,
        long commitIntervalMs,
        long storeCacheBytes,
        int metricsPort,
        BaselineDetector.Settings baseline,
        ScoringSettings scoring,
        LivenessSettings liveness,
        InputBounds bounds,
        int deadLetterMaxBytes,
        Lifecycle lifecycle) {

    /**
     * How the scorer joins its group, fails over and stops.
     *
     * @param standbyReplicas warm copies of each task's state on other instances
     *     ({@code num.standby.replicas}); with one, a lost instance's partitions move without restoring
     * @param groupInstanceId static membership ({@code group.instance.id}, e.g. the pod name), or null:
     *     a restarted instance with the same id gets its partitions back without a rebalance
     * @param sessionTimeoutMs how long a silent member keeps its partitions, 0 for Kafka's default;
     *     a killed instance's partitions move after this
     * @param closeTimeoutMs how long a shutdown may take, below the pod's termination grace period
     * @param threadMaxFailures failures of one task within the window that shut the scorer down
     * @param threadFailureWindowMs the window over which task failures are counted
     */
    public record Lifecycle(int standbyReplicas, String groupInstanceId, int sessionTimeoutMs, long closeTimeoutMs,
                            int threadMaxFailures, long threadFailureWindowMs) {
        public static final Lifecycle DEFAULT = new Lifecycle(0, null, 0, 20_000, 3, 600_000);

        public Lifecycle {
            if (standbyReplicas < 0 || sessionTimeoutMs < 0 || closeTimeoutMs <= 0 || threadMaxFailures < 1
                    || threadFailureWindowMs <= 0) {
                throw new IllegalArgumentException("invalid scorer lifecycle settings: Lifecycle[standbyReplicas=" + standbyReplicas
                        + ", groupInstanceId=" + groupInstanceId + ", sessionTimeoutMs=" + sessionTimeoutMs
                        + ", closeTimeoutMs=" + closeTimeoutMs + ", threadMaxFailures=" + threadMaxFailures
                        + ", threadFailureWindowMs=" + threadFailureWindowMs + "]");
            }
        }
    }

    /** The Streams application id, hence the consumer group KEDA watches and the changelogs' prefix. */
    public static final String DEFAULT_APPLICATION_ID = "vigil-scorer";

    /** Where the scorer serves {@code /metrics}, {@code /health} and {@code /ready}. */
    public static final int DEFAULT_METRICS_PORT = 9404;

    public static TopologyConfig from(Settings s) {
        return new TopologyConfig(
                s.get("application.id", DEFAULT_APPLICATION_ID),
                ClientSettings.from(s),
                Path.of(s.get("state.dir", System.getProperty("java.io.tmpdir") + "/vigil-streams")),
                s.getInt("stream.threads", 1),
                s.getInt("replication.factor", 1),
                s.getLong("commit.interval.ms", 100),
                s.getLong("store.cache.bytes", 10L << 20),
                s.getInt("metrics.port", DEFAULT_METRICS_PORT),
                new BaselineDetector.Settings(
                        s.getInt("baseline.error.span", BaselineDetector.Settings.DEFAULT.errorSpan()),
                        s.getInt("baseline.stats.span", BaselineDetector.Settings.DEFAULT.statsSpan()),
                        s.getDouble("baseline.k", BaselineDetector.Settings.DEFAULT.k()),
                        s.getInt("baseline.warmup", BaselineDetector.Settings.DEFAULT.warmup())),
                scoring(s),
                liveness(s),
                new InputBounds(
                        s.getLong("time.max.ahead.ms", InputBounds.DEFAULT.maxAheadMs()),
                        s.getLong("time.max.age.ms", InputBounds.DEFAULT.maxAgeMs()),
                        s.getInt("id.max.bytes", InputBounds.DEFAULT.maxIdBytes())),
                s.getInt("dead.letter.max.bytes", DeadLetters.DEFAULT_MAX_BYTES),
                lifecycle(s));
    }

    private static Lifecycle lifecycle(Settings s) {
        Lifecycle d = Lifecycle.DEFAULT;
        return new Lifecycle(
                s.getInt("standby.replicas", d.standbyReplicas()),
                s.get("group.instance.id", null),
                s.getInt("session.timeout.ms", d.sessionTimeoutMs()),
                s.getLong("close.timeout.ms", d.closeTimeoutMs()),
                s.getInt("stream.thread.max.failures", d.threadMaxFailures()),
                s.getLong("stream.thread.failure.window.ms", d.threadFailureWindowMs()));
    }

    private static ScoringSettings scoring(Settings s) {
        ScoringSettings d = ScoringSettings.DEFAULT;
        String precision = s.get("scoring.model.precision", "float32").toUpperCase(java.util.Locale.ROOT);
        return new ScoringSettings(
                s.getInt("scoring.model.cache.size", d.modelCacheSize()),
                LstmParameters.Precision.valueOf(precision),
                s.getLong("scoring.max.gap.ms", d.maxGapMs()),
                s.getDouble("scoring.max.gap.intervals", d.maxGapIntervals()),
                s.getInt("scoring.channel.cache.size", d.channelCacheSize()),
                s.getInt("scoring.drift.window", d.driftWindow()));
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

    /** Serde settings for the registry-backed Avro serdes; the exception handlers read them too. */
    public Map<String, Object> serdeConfig() {
        return clients.registry().serdeConfig();
    }

    /** Kafka Streams properties: exactly-once v2, because a score must not be written twice. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, storeCacheBytes);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        // Changelogs carry the input's event time, which a fast replay puts far ahead of the clock.
        p.put(StreamsConfig.topicPrefix(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG), Long.toString(Long.MAX_VALUE));
        // A record without a timestamp, or with one beyond the year 9999, must neither fail the thread nor
        // wrap stream time past the end of the long range.
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, BoundedTimestamps.class.getName());
        // Nothing thrown inside the topology may reach the stream thread: a record fails, the stream does not.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingErrorHandler.class.getName());
        // The topology has no global stores; enabling the handler there too is Kafka's future default and
        // silences its start-up warning.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionErrorHandler.class.getName());
        p.putAll(serdeConfig());
        p.put(DeadLetterRecords.MAX_BYTES_CONFIG, Integer.toString(deadLetterMaxBytes));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, lifecycle.standbyReplicas());
        if (lifecycle.groupInstanceId() != null) {
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), lifecycle.groupInstanceId());
        }
        if (lifecycle.sessionTimeoutMs() > 0) {
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), lifecycle.sessionTimeoutMs());
        }
        // Last, so that what the operator passes through (security, tuning) has the final word.
        p.putAll(clients.streams());
        return p;
    }
}
