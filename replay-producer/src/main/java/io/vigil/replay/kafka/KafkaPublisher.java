package io.vigil.replay.kafka;

import io.vigil.avro.Heartbeat;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeState;
import io.vigil.avro.TelemetryPoint;
import io.vigil.replay.event.Publisher;
import io.vigil.replay.event.SendCounts;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes points to {@code vigil.telemetry}, labels to {@code vigil.labels} (both keyed by channel id)
 * and heartbeats to {@code vigil.heartbeats} (keyed by node id), each with its event time as the record
 * timestamp (Vigil's telemetry and labels topics replace it with the arrival time, so that retention
 * counts from arrival).
 *
 * <p>Decisions: schemas are registered, and the broker asked for the topics' metadata, before anything
 * is sent ({@link #connect}), so a registry or broker that is away fails the run at once with a clear
 * cause; the first delivery failure is kept and reported through {@link #failure()}, never thrown from
 * Kafka's I/O thread; a channel's key and value prefix are encoded once ({@link PointEncoder}).
 */
public final class KafkaPublisher implements Publisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final String TELEMETRY = Topics.TELEMETRY.name();
    private static final String LABELS = Topics.LABELS.name();
    private static final String HEARTBEATS = Topics.HEARTBEATS.name();

    /** The three value serializers, configured for one registry. */
    public record Serializers(Serializer<TelemetryPoint> points, Serializer<LabelSegment> labels,
            Serializer<Heartbeat> heartbeats) {

        public static Serializers forRegistry(Map<String, ?> serdeConfig) {
            return new Serializers(AvroSerde.configured(TelemetryPoint.class, serdeConfig, false).serializer(),
                    AvroSerde.configured(LabelSegment.class, serdeConfig, false).serializer(),
                    AvroSerde.configured(Heartbeat.class, serdeConfig, false).serializer());
        }
    }

    private record Channel(String id, String source, byte[] key, byte[] prefix) {}

    private final Producer<byte[], byte[]> producer;
    private final Serializers serializers;
    private final PointEncoder encoder;
    private final TelemetryPoint reusablePoint = new TelemetryPoint();
    private final Heartbeat reusableBeat = new Heartbeat();
    private final List<Channel> channels = new ArrayList<>();
    private final List<String> nodeIds = new ArrayList<>();
    private final List<byte[]> nodeKeys = new ArrayList<>();
    private final LongAdder acknowledged = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Callback delivery = (metadata, e) -> {
        if (e == null) {
            acknowledged.increment();
        } else {
            failure.compareAndSet(null, e);
        }
    };
    private long points;
    private long labels;
    private long heartbeats;

    /**
     * Registers the schemas (failing after the registry client's bounded retries), then creates the
     * producer and waits (up to {@code max.block.ms}) for the metadata of Vigil's topics.
     */
    public static KafkaPublisher connect(ProducerSettings settings, Map<String, ?> serdeConfig) {
        Serializers serializers = Serializers.forRegistry(serdeConfig);
        byte[] probe = registerSchemas(serializers);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.toConfig(), new ByteArraySerializer(),
                new ByteArraySerializer());
        try {
            for (String topic : List.of(TELEMETRY, LABELS, HEARTBEATS)) {
                producer.partitionsFor(topic);
            }
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return new KafkaPublisher(producer, serializers, probe);
    }

    /** A publisher on a given producer (tests use a mock); serializes a probe point to learn the schema id. */
    public KafkaPublisher(Producer<byte[], byte[]> producer, Serializers serializers) {
        this(producer, serializers, registerSchemas(serializers));
    }

    private KafkaPublisher(Producer<byte[], byte[]> producer, Serializers serializers, byte[] probeBytes) {
        this.producer = producer;
        this.serializers = serializers;
        this.encoder = PointEncoder.verified(probePoint(), probeBytes);
        if (encoder == null) {
            log.warn("TelemetryPoint's schema is not the one the fast encoder knows; using the generic serializer");
        }
    }

    /** Whether points are encoded by {@link PointEncoder} (else by the generic serializer). */
    boolean fastEncoding() {
        return encoder != null;
    }

    private static TelemetryPoint probePoint() {
        // With inputs, so the encoder's check covers the array's encoding too.
        return new TelemetryPoint("probe/\u00e9", "vigil-replay", Instant.ofEpochMilli(1_396_310_400_123L), -1.5e-3,
                java.util.List.of(1.0, -0.25));
    }

    /** Serializes one record of each type (which registers its schema); returns the probe point's bytes. */
    private static byte[] registerSchemas(Serializers s) {
        byte[] point = s.points().serialize(TELEMETRY, probePoint());
        s.labels().serialize(LABELS, new LabelSegment("probe", Instant.EPOCH, Instant.EPOCH, "", ""));
        s.heartbeats().serialize(HEARTBEATS, new Heartbeat("probe", Instant.EPOCH, NodeState.ONLINE, null));
        return point;
    }

    @Override
    public int channel(String channelId, String source) {
        channels.add(new Channel(channelId, source, channelId.getBytes(StandardCharsets.UTF_8),
                encoder == null ? null : encoder.prefix(channelId, source)));
        return channels.size() - 1;
    }

    @Override
    public int node(String nodeId) {
        nodeIds.add(nodeId);
        nodeKeys.add(nodeId.getBytes(StandardCharsets.UTF_8));
        return nodeIds.size() - 1;
    }

    @Override
    public void point(int channel, long eventTime, double value, double[] inputs) {
        Channel c = channels.get(channel);
        byte[] bytes;
        if (encoder != null) {
            bytes = encoder.encode(c.prefix(), eventTime, value, inputs);
        } else {
            reusablePoint.setChannelId(c.id());
            reusablePoint.setSource(c.source());
            reusablePoint.setEventTime(Instant.ofEpochMilli(eventTime));
            reusablePoint.setValue(value);
            reusablePoint.setInputs(java.util.Arrays.stream(inputs).boxed().toList());
            bytes = serializers.points().serialize(TELEMETRY, reusablePoint);
        }
        producer.send(new ProducerRecord<>(TELEMETRY, null, eventTime, c.key(), bytes), delivery);
        points++;
    }

    @Override
    public void label(int channel, long publishedAt, long start, long end, String kind) {
        Channel c = channels.get(channel);
        LabelSegment label = new LabelSegment(c.id(), Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), c.source(), kind);
        producer.send(new ProducerRecord<>(LABELS, null, publishedAt, c.key(), serializers.labels().serialize(LABELS, label)),
                delivery);
        labels++;
    }

    @Override
    public void heartbeat(int node, long time, NodeState state, String target) {
        reusableBeat.setNodeId(nodeIds.get(node));
        reusableBeat.setTime(Instant.ofEpochMilli(time));
        reusableBeat.setState(state);
        reusableBeat.setTarget(target);
        producer.send(new ProducerRecord<>(HEARTBEATS, null, time, nodeKeys.get(node),
                serializers.heartbeats().serialize(HEARTBEATS, reusableBeat)), delivery);
        heartbeats++;
    }

    @Override
    public void barrier() {
        producer.flush();
    }

    @Override
    public SendCounts counts() {
        return new SendCounts(points, labels, heartbeats, acknowledged.sum());
    }

    @Override
    public long pointsSent() {
        return points;
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        // Bounded: after a failure there may be nothing left that could still be delivered.
        producer.close(failure.get() != null ? Duration.ZERO : Duration.ofSeconds(10));
    }
}
