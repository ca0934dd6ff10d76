package io.vigil.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.intake.TelemetryIntake;
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
 *   telemetry (raw bytes) -> intake (decode, validate) -> scorer (channel state) -> scores
 *                                   \--------------------------\-> dead letters
 * </pre>
 *
 * Every input record leaves as exactly one score or one dead letter.
 */
public final class VigilTopology {

    public static final String TELEMETRY_SOURCE = "telemetry-source";
    public static final String INTAKE = "telemetry-intake";
    public static final String SCORER = "scorer";
    public static final String SCORES_SINK = "scores-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** Per-channel detector state, in RocksDB with a changelog. */
    public static final String CHANNEL_STATE_STORE = "channel-state";

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
                () -> new TelemetryIntake(
                        AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).deserializer(),
                        deadLetters, SCORER),
                TELEMETRY_SOURCE);
        topology.addProcessor(SCORER,
                () -> new ScoringProcessor(CHANNEL_STATE_STORE, baseline, deadLetters, SCORES_SINK), INTAKE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CHANNEL_STATE_STORE), Serdes.String(), new BaselineStateSerde()),
                SCORER);
        topology.addSink(SCORES_SINK, Topics.SCORES.name(), new StringSerializer(), scoreSerde.serializer(), SCORER);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), new ByteArraySerializer(),
                deadLetterSerde.serializer(), INTAKE, SCORER);
        return topology;
    }
}
