package io.vigil.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.NodeStatus;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.heartbeat.NodeLivenessProcessor;
import io.vigil.topology.intake.InputBounds;
import io.vigil.topology.intake.RecordIntake;
import io.vigil.topology.release.ModelCache;
import io.vigil.topology.release.ModelKeeper;
import io.vigil.topology.scoring.BaselineDetector;
import io.vigil.topology.scoring.ScoringProcessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Vigil's stream processing, top to bottom:
 *
 * <pre>
 *   telemetry (raw bytes)  -> intake (decode, validate) -> scorer (channel state, window) -> scores, anomalies
 *   models (raw bytes)     -> intake (decode)           -> keeper (check, champion rule)  -> model stores
 *   heartbeats (raw bytes) -> intake (decode, validate) -> liveness (node state)          -> node status
 *   the intakes, the keeper, the scorer and liveness          -> dead letters
 * </pre>
 *
 * The keeper writes the model stores and the scorer reads them, so both belong to one sub-topology:
 * Kafka Streams then requires the telemetry and models topics to be co-partitioned and gives a
 * channel's points and its champion to the same task.
 *
 * <p>Every telemetry record leaves as exactly one score or one dead letter; every models record
 * becomes the channel's model, retires it, changes nothing (a re-delivered champion) or is a dead
 * letter. Heartbeats are absorbed into node state; an undecodable or out-of-bounds one is a dead
 * letter, and a node status is written only on a change (a first heartbeat, a new reported state,
 * FAULTED, RECOVERED). A record whose processing throws is a
 * PROCESSING_ERROR dead letter and leaves its state as it was; Kafka Streams' processing and
 * production handlers ({@link TopologyConfig#streamsProperties}) catch whatever still escapes.
 */
public final class VigilTopology {

    public static final String TELEMETRY_SOURCE = "telemetry-source";
    public static final String INTAKE = "telemetry-intake";
    public static final String SCORER = "scorer";
    public static final String SCORES_SINK = "scores-sink";
    public static final String ANOMALIES_SINK = "anomalies-sink";
    public static final String MODEL_SOURCE = "model-source";
    public static final String MODEL_INTAKE = "model-intake";
    public static final String MODEL_KEEPER = "model-keeper";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String HEARTBEAT_SOURCE = "heartbeat-source";
    public static final String HEARTBEAT_INTAKE = "heartbeat-intake";
    public static final String LIVENESS = "node-liveness";
    public static final String NODE_STATUS_SINK = "node-status-sink";

    /** Per-channel scorer record (last time, cadence, open segment, detector state), in RocksDB with a changelog. */
    public static final String CHANNEL_STATE_STORE = "channel-state";
    /** The LSTM channels' error windows in chunks, keyed {@code <channel>/c<k>}. */
    public static final String WINDOW_STORE = "channel-window";
    /** Each channel's champion without its weights ({@code ModelDescriptor} bytes), read on every point; in memory. */
    public static final String MODEL_STORE = "channel-models";
    /** Each channel's champion weights (float32 little-endian), read when the model cache misses. */
    public static final String MODEL_PARAMETERS_STORE = "channel-model-parameters";
    /** Per-node heartbeat state. */
    public static final String NODE_STORE = "node-state";
    /** Nodes ordered by the time they become FAULTED. */
    public static final String DEADLINE_STORE = "node-deadlines";

    private VigilTopology() {}

    public static Topology build(TopologyConfig config, MeterRegistry meters) {
        AvroSerde<ChannelScore> scoreSerde = AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false);
        AvroSerde<AnomalyEvent> anomalySerde = AvroSerde.configured(AnomalyEvent.class, config.serdeConfig(), false);
        AvroSerde<DeadLetter> deadLetterSerde = AvroSerde.configured(DeadLetter.class, config.serdeConfig(), false);
        DeadLetters deadLetters = new DeadLetters(DEAD_LETTER_SINK, config.deadLetterMaxBytes(), meters);
        InputBounds bounds = config.bounds();
        BaselineDetector baseline = new BaselineDetector(config.baseline());
        ModelCache modelCache = new ModelCache(config.scoring().modelCacheSize(), config.scoring().precision(), meters);
        ScoringProcessor.Stores scoringStores =
                new ScoringProcessor.Stores(CHANNEL_STATE_STORE, WINDOW_STORE, MODEL_STORE, MODEL_PARAMETERS_STORE);

        Topology topology = new Topology();
        topology.addSource(TELEMETRY_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                Topics.TELEMETRY.name());
        topology.addProcessor(INTAKE,
                () -> new RecordIntake<>(
                        AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).deserializer(),
                        TelemetryPoint::getChannelId, (point, now) -> checkTelemetry(bounds, point, now),
                        bounds.maxIdBytes(), deadLetters, SCORER),
                TELEMETRY_SOURCE);
        topology.addProcessor(SCORER,
                () -> new ScoringProcessor(scoringStores, baseline, config.scoring(), modelCache, deadLetters,
                        SCORES_SINK, ANOMALIES_SINK, meters),
                INTAKE);
        // Cached: a channel's record is read on every point, and a baseline channel rewrites it on every
        // point; the cache takes those to RocksDB and the changelog once per commit.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CHANNEL_STATE_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled(), SCORER);
        // Not cached: each key (a tail slot, a chunk) is written once per batch of its channel, so only a
        // channel with more than a batch of points in one commit writes a key twice in it; for the rest
        // the cache would only add its bookkeeping.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WINDOW_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled(), SCORER);
        topology.addSink(SCORES_SINK, Topics.SCORES.name(), new StringSerializer(), scoreSerde.serializer(), SCORER);
        topology.addSink(ANOMALIES_SINK, Topics.ANOMALIES.name(), new StringSerializer(), anomalySerde.serializer(),
                SCORER);

        topology.addSource(MODEL_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.MODELS.name());
        topology.addProcessor(MODEL_INTAKE,
                () -> RecordIntake.keepingTombstones(
                        AvroSerde.configured(ModelRelease.class, config.serdeConfig(), false).deserializer(),
                        ModelRelease::getChannelId, (release, now) -> null, bounds.maxIdBytes(), deadLetters,
                        MODEL_KEEPER),
                MODEL_SOURCE);
        topology.addProcessor(MODEL_KEEPER,
                () -> new ModelKeeper(MODEL_STORE, MODEL_PARAMETERS_STORE, modelCache, deadLetters, meters),
                MODEL_INTAKE);
        // Connected to both processors: that is what puts the keeper and the scorer in one sub-topology.
        // Descriptors are ~180 bytes and read on every point: in memory, restored from their changelog.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(MODEL_STORE), Serdes.String(), Serdes.ByteArray()),
                MODEL_KEEPER, SCORER);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MODEL_PARAMETERS_STORE), Serdes.String(), Serdes.ByteArray()),
                MODEL_KEEPER, SCORER);

        AvroSerde<NodeStatus> statusSerde = AvroSerde.configured(NodeStatus.class, config.serdeConfig(), false);
        topology.addSource(HEARTBEAT_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                Topics.HEARTBEATS.name());
        topology.addProcessor(HEARTBEAT_INTAKE,
                () -> new RecordIntake<>(
                        AvroSerde.configured(Heartbeat.class, config.serdeConfig(), false).deserializer(),
                        Heartbeat::getNodeId, (beat, now) -> bounds.checkTime(beat.getTime().toEpochMilli(), now),
                        bounds.maxIdBytes(), deadLetters, LIVENESS),
                HEARTBEAT_SOURCE);
        topology.addProcessor(LIVENESS,
                () -> new NodeLivenessProcessor(config.liveness(), NODE_STORE, DEADLINE_STORE, NODE_STATUS_SINK,
                        deadLetters, meters),
                HEARTBEAT_INTAKE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NODE_STORE), Serdes.String(), NodeLivenessProcessor.storeSerde()),
                LIVENESS);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEADLINE_STORE), Serdes.Bytes(), Serdes.ByteArray()),
                LIVENESS);
        topology.addSink(NODE_STATUS_SINK, Topics.NODE_STATUS.name(), new StringSerializer(), statusSerde.serializer(),
                LIVENESS);

        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), new ByteArraySerializer(),
                deadLetterSerde.serializer(), INTAKE, SCORER, MODEL_INTAKE, MODEL_KEEPER, HEARTBEAT_INTAKE, LIVENESS);
        return topology;
    }

    /** A point is scored when its value, its inputs and its event time are within the bounds. */
    private static RecordIntake.Rejection checkTelemetry(InputBounds bounds, TelemetryPoint point, long now) {
        RecordIntake.Rejection value = InputBounds.checkValue(point.getValue());
        if (value == null) {
            value = InputBounds.checkInputs(point.getInputs());
        }
        return value != null ? value : bounds.checkTime(point.getEventTime().toEpochMilli(), now);
    }
}
