package io.vigil.bridge.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeStatus;
import io.vigil.bridge.events.EventType;
import io.vigil.schemas.registry.RegistryException;
import io.vigil.schemas.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes a record of any streamed topic with its type's deserializer, and decides what an undecodable
 * record costs: itself only. It is counted in {@value #DECODE_FAILURES} (by type and {@code reason}),
 * logged at WARN at most once per {@link #WARN_INTERVAL} with topic, partition and offset, and skipped;
 * the feed goes on. That includes records whose schema cannot be fetched because the registry is away
 * (reason {@code registry}): a live view would rather skip than stall behind an outage, and schemas are
 * cached, so only new schema ids are affected. Thread-safe (the feed and catch-up readers share it).
 */
public final class RecordDecoder {

    public static final String RECEIVED = "vigil.bridge.events.received";
    public static final String DECODE_FAILURES = "vigil.bridge.decode.failures";
    static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(RecordDecoder.class);

    private final Decoders decoders;
    private final Map<EventType, Counter> received = new EnumMap<>(EventType.class);
    private final Map<EventType, Counter[]> failures = new EnumMap<>(EventType.class);
    private final LogThrottle warnings = new LogThrottle(WARN_INTERVAL);

    public RecordDecoder(Decoders decoders, MeterRegistry registry) {
        this.decoders = decoders;
        for (EventType type : EventType.values()) {
            received.put(type, Counter.builder(RECEIVED).tag("type", type.eventName())
                    .description("Records read from Kafka").register(registry));
            failures.put(type, new Counter[] {
                failure(registry, type, "wire_format"), failure(registry, type, "registry"),
                failure(registry, type, "other")});
        }
    }

    /** The decoded record, or null if it was skipped. */
    public Decoded decode(EventType type, ConsumerRecord<?, byte[]> record) {
        return decode(type, record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.headers(), record.value());
    }

    public Decoded decode(EventType type, String topic, int partition, long offset, long timestamp,
                          Headers headers, byte[] value) {
        received.get(type).increment();
        Headers h = headers == null ? new RecordHeaders() : headers;
        try {
            Decoded decoded = switch (type) {
                case SCORE -> score(read(decoders.scores(), topic, h, value), timestamp);
                case ANOMALY -> anomaly(read(decoders.anomalies(), topic, h, value), timestamp);
                case NODE -> node(read(decoders.nodes(), topic, h, value), timestamp);
                case LABEL -> label(read(decoders.labels(), topic, h, value), timestamp);
            };
            return decoded;
        } catch (RuntimeException e) {
            // Not only SerializationException: a serde bug must cost one record, not the whole feed.
            skip(type, topic, partition, offset, e);
            return null;
        }
    }

    private static <T> T read(Deserializer<T> deserializer, String topic, Headers headers, byte[] value) {
        T decoded = deserializer.deserialize(topic, headers, value);
        if (decoded == null) {
            throw new IllegalArgumentException(value == null ? "null value" : "decoded to null");
        }
        return decoded;
    }

    private static Decoded score(ChannelScore s, long time) {
        requireText("channelId", s.getChannelId());
        return new Decoded(EventType.SCORE, s, s.getChannelId(), s.getSource(), ScoreJson.toJson(s, time));
    }

    private static Decoded anomaly(AnomalyEvent a, long time) {
        requireText("channelId", a.getChannelId());
        return new Decoded(EventType.ANOMALY, a, a.getChannelId(), null, SegmentJson.anomaly(a, time));
    }

    private static Decoded node(NodeStatus n, long time) {
        requireText("nodeId", n.getNodeId());
        return new Decoded(EventType.NODE, n, null, null, SegmentJson.node(n, time));
    }

    private static Decoded label(LabelSegment l, long time) {
        requireText("channelId", l.getChannelId());
        return new Decoded(EventType.LABEL, l, l.getChannelId(), l.getSource(), SegmentJson.label(l, time));
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty " + field);
        }
    }

    private static Counter failure(MeterRegistry registry, EventType type, String reason) {
        return Counter.builder(DECODE_FAILURES).tag("type", type.eventName()).tag("reason", reason)
                .description("Records skipped because they could not be decoded").register(registry);
    }

    private void skip(EventType type, String topic, int partition, long offset, RuntimeException e) {
        Counter[] counters = failures.get(type);
        Counter counter = e instanceof WireFormatException ? counters[0]
                : e instanceof RegistryException ? counters[1]
                : counters[2];
        counter.increment();
        long suppressed = warnings.permit();
        if (suppressed >= 0) {
            log.atWarn()
                    .addKeyValue("topic", topic)
                    .addKeyValue("partition", partition)
                    .addKeyValue("offset", offset)
                    .addKeyValue("suppressed", suppressed)
                    .log("skipping record that does not decode: {}", String.valueOf(e));
        }
    }
}
