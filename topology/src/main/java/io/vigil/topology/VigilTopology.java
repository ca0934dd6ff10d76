package io.vigil.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.NodeStatus;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.avro.DeadLetterReason;
import io.vigil.topology.heartbeat.NodeLivenessProcessor;
import io.vigil.topology.intake.RecordIntake;
import io.vigil.topology.scoring.BaselineDetector;
import io.vigil.topology.scoring.BaselineStateSerde;
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
 *   telemetry (raw bytes)  -> intake (decode, validate) -> scorer (channel state) -> scores
 *   heartbeats (raw bytes) -> intake (decode, validate) -> liveness (node state)  -> node status
 *                  both intakes and the scorer -> dead letters
 * </pre>
 *
 * Every telemetry record leaves as exactly one score or one dead letter. Heartbeats are absorbed into
 * node state; an undecodable one is a dead letter, and node status changes only on transitions.
 */
public final class VigilTopology {

    public static final String TELEMETRY_SOURCE = "telemetry-source";
    public static final String INTAKE = "telemetry-intake";
    public static final String SCORER = "scorer";
    public static final String SCORES_SINK = "scores-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String HEARTBEAT_SOURCE = "heartbeat-source";
    public static final String HEARTBEAT_INTAKE = "heartbeat-intake";
    public static final String LIVENESS = "node-liveness";
    public static final String NODE_STATUS_SINK = "node-status-sink";

    /** Per-channel detector state, in RocksDB with a changelog. */
    public static final String CHANNEL_STATE_STORE = "channel-state";
    /** Per-node heartbeat state. */
    public static final String NODE_STORE = "node-state";
    /** Nodes ordered by the time they become FAULTED. */
    public static final String DEADLINE_STORE = "node-deadlines";

    private VigilTopology() {}

    public static Topology build(TopologyConfig config, MeterRegistry meters) {
        AvroSerde<ChannelScore> scoreSerde = AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false);
        AvroSerde<DeadLetter> deadLetterSerde = AvroSerde.configured(DeadLetter.class, config.serdeConfig(), false);
        DeadLetters deadLetters = new DeadLetters(DEAD_LETTER_SINK, meters);
        BaselineDetector baseline = new BaselineDetector(config.baseline());

        Topology topology = new Topology();
        topology.addSource(TELEMETRY_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                Topics.TELEMETRY.name());
        topology.addProcessor(INTAKE,
                () -> new RecordIntake<>(
                        AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).deserializer(),
                        TelemetryPoint::getChannelId, VigilTopology::checkTelemetry, deadLetters, SCORER),
                TELEMETRY_SOURCE);
        topology.addProcessor(SCORER,
                () -> new ScoringProcessor(CHANNEL_STATE_STORE, baseline, deadLetters, SCORES_SINK), INTAKE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CHANNEL_STATE_STORE), Serdes.String(), new BaselineStateSerde()),
                SCORER);
        topology.addSink(SCORES_SINK, Topics.SCORES.name(), new StringSerializer(), scoreSerde.serializer(), SCORER);

        AvroSerde<NodeStatus> statusSerde = AvroSerde.configured(NodeStatus.class, config.serdeConfig(), false);
        topology.addSource(HEARTBEAT_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                Topics.HEARTBEATS.name());
        topology.addProcessor(HEARTBEAT_INTAKE,
                () -> new RecordIntake<>(
                        AvroSerde.configured(Heartbeat.class, config.serdeConfig(), false).deserializer(),
                        Heartbeat::getNodeId, beat -> null, deadLetters, LIVENESS),
                HEARTBEAT_SOURCE);
        topology.addProcessor(LIVENESS,
                () -> new NodeLivenessProcessor(config.liveness(), NODE_STORE, DEADLINE_STORE, meters),
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
                deadLetterSerde.serializer(), INTAKE, SCORER, HEARTBEAT_INTAKE);
        return topology;
    }

    /** A point whose value is NaN or infinite cannot be forecast or judged: INVALID_VALUE. */
    private static RecordIntake.Rejection checkTelemetry(TelemetryPoint point) {
        return Double.isFinite(point.getValue()) ? null
                : new RecordIntake.Rejection(DeadLetterReason.INVALID_VALUE, "value is " + point.getValue());
    }
}
