package io.vigil.bridge.kafka;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeStatus;
import io.vigil.schemas.serde.AvroSerde;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Map;

/** One schema-registry deserializer per streamed record type. */
public record Decoders(Deserializer<ChannelScore> scores, Deserializer<AnomalyEvent> anomalies,
                       Deserializer<NodeStatus> nodes, Deserializer<LabelSegment> labels) implements AutoCloseable {

    /** Deserializers reading through the registry at {@code url} ({@code mock://scope} in tests). */
    /** Decoders through the registry that {@code config} names (serde settings: URL, credentials, TLS). */
    public static Decoders registry(Map<String, Object> config) {
        return new Decoders(
                AvroSerde.configured(ChannelScore.class, config, false).deserializer(),
                AvroSerde.configured(AnomalyEvent.class, config, false).deserializer(),
                AvroSerde.configured(NodeStatus.class, config, false).deserializer(),
                AvroSerde.configured(LabelSegment.class, config, false).deserializer());
    }

    @Override
    public void close() {
        scores.close();
        anomalies.close();
        nodes.close();
        labels.close();
    }
}
