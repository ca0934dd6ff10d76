package io.vigil.bridge.testing;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Writes what the topology would: records in the schema-registry wire format (AvroSerde through the
 * given registry, {@code mock://scope} shared in-JVM with the bridge), keyed like the topology keys them.
 */
public final class Producer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Object> serdeConfig;
    private final Map<Class<?>, org.apache.kafka.common.serialization.Serializer<?>> serializers =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Producer(String bootstrapServers, String registryUrl) {
        this(bootstrapServers, registryUrl, 0);
    }

    /** {@code lingerMs} above 0 batches sends, as a producer at thousands of records a second would. */
    public Producer(String bootstrapServers, String registryUrl, int lingerMs) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs),
                new StringSerializer(), new ByteArraySerializer());
        this.serdeConfig = Map.of("schema.registry.url", registryUrl);
    }

    public static ChannelScore scoreOf(String channel, long eventTime, double value, boolean anomalous) {
        return ChannelScore.newBuilder().setChannelId(channel).setSource("it").setEventTime(Instant.ofEpochMilli(eventTime))
                .setValue(value).setForecast(value * 0.9).setError(value * 0.1).setSmoothedError(value * 0.05)
                .setThreshold(anomalous ? value * 0.01 : 10).setAnomalous(anomalous).setDetector(Detector.BASELINE)
                .setScoredAt(Instant.ofEpochMilli(System.currentTimeMillis())).build();
    }

    public void score(String channel, long eventTime, double value, boolean anomalous) {
        send(Topics.SCORES.name(), channel, ChannelScore.class, scoreOf(channel, eventTime, value, anomalous));
    }

    public void score(ChannelScore score) {
        send(Topics.SCORES.name(), score.getChannelId(), ChannelScore.class, score);
    }

    /** Sends without waiting for the broker (for rates); {@link #flush} waits. */
    public void scoreAsync(ChannelScore score, long timestamp) {
        byte[] bytes = serializer(ChannelScore.class).serialize(Topics.SCORES.name(), score);
        producer.send(new ProducerRecord<>(Topics.SCORES.name(), null, timestamp, score.getChannelId(), bytes));
    }

    public void anomaly(String channel, long start, Long end, AnomalyStatus status) {
        send(Topics.ANOMALIES.name(), channel, AnomalyEvent.class, AnomalyEvent.newBuilder().setChannelId(channel)
                .setStart(Instant.ofEpochMilli(start)).setEnd(end == null ? null : Instant.ofEpochMilli(end))
                .setStatus(status).setSeverity(2.5).setDetector(Detector.LSTM).setModelVersion(3).build());
    }

    public void label(String channel, long start, long end) {
        send(Topics.LABELS.name(), channel, LabelSegment.class, LabelSegment.newBuilder().setChannelId(channel)
                .setStart(Instant.ofEpochMilli(start)).setEnd(Instant.ofEpochMilli(end)).setSource("it")
                .setKind("spike").build());
    }

    public void node(String node, NodeLiveness liveness, NodeState state, long lastHeartbeat) {
        send(Topics.NODE_STATUS.name(), node, NodeStatus.class, NodeStatus.newBuilder().setNodeId(node)
                .setStatus(liveness).setChangedAt(Instant.now()).setLastHeartbeat(Instant.ofEpochMilli(lastHeartbeat))
                .setLastState(state).setExpectedIntervalMs(1000).build());
    }

    public void heartbeat(String node, NodeState state, long time) {
        send(Topics.HEARTBEATS.name(), node, Heartbeat.class, Heartbeat.newBuilder().setNodeId(node)
                .setTime(Instant.ofEpochMilli(time)).setState(state).build());
    }

    public void flush() {
        producer.flush();
    }

    private <T extends SpecificRecord> void send(String topic, String key, Class<T> type, T value) {
        byte[] bytes = serializer(type).serialize(topic, value);
        try {
            producer.send(new ProducerRecord<>(topic, key, bytes)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> org.apache.kafka.common.serialization.Serializer<T> serializer(Class<T> type) {
        return (org.apache.kafka.common.serialization.Serializer<T>) serializers.computeIfAbsent(type,
                t -> AvroSerde.configured(type, serdeConfig, false).serializer());
    }

    @Override
    public void close() {
        producer.close();
    }
}
