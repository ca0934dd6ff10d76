package io.vigil.bridge.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.schemas.registry.RegistryException;
import io.vigil.schemas.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Turns one raw score record into one SSE event, or skips it. It decides what a bad record costs: a
 * record that does not decode is counted ({@value #DECODE_FAILURES}, tagged with a {@code reason}),
 * logged at WARN at most once per {@link #WARN_INTERVAL} with its topic, partition and offset, and
 * skipped; it never stops the feed. That includes records whose schema cannot be fetched because the
 * registry is away (reason {@code registry}): a live view would rather skip than stall behind an
 * outage, and the deserializer caches schemas, so only new schema ids are affected. Events are named
 * {@value #EVENT_NAME} and identified as {@code <partition>-<offset>}.
 */
public final class ScoreForwarder {

    public static final String EVENT_NAME = "score";
    public static final String RECEIVED = "vigil.bridge.events.received";
    public static final String DECODE_FAILURES = "vigil.bridge.decode.failures";
    static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ScoreForwarder.class);

    private final Deserializer<ChannelScore> deserializer;
    private final EventSink sink;
    private final Counter received;
    private final Counter badWireFormat;
    private final Counter registryUnavailable;
    private final Counter otherFailures;
    private final LogThrottle warnings = new LogThrottle(WARN_INTERVAL);

    public ScoreForwarder(Deserializer<ChannelScore> deserializer, EventSink sink, MeterRegistry registry) {
        this.deserializer = deserializer;
        this.sink = sink;
        this.received = Counter.builder(RECEIVED).description("Score records read from Kafka").register(registry);
        this.badWireFormat = failureCounter(registry, "wire_format");
        this.registryUnavailable = failureCounter(registry, "registry");
        this.otherFailures = failureCounter(registry, "other");
    }

    public boolean forward(ConsumerRecord<?, byte[]> record) {
        return forward(record.topic(), record.partition(), record.offset(), record.headers(), record.value());
    }

    /** Decodes and publishes one record; false if it was skipped. */
    public boolean forward(String topic, int partition, long offset, Headers headers, byte[] value) {
        received.increment();
        ChannelScore score;
        try {
            score = deserializer.deserialize(topic, headers == null ? new RecordHeaders() : headers, value);
            if (score == null) {
                throw new IllegalArgumentException(value == null ? "null value" : "decoded to null");
            }
        } catch (RuntimeException e) {
            // Not only SerializationException: a serde bug must cost one record, not the whole feed.
            skip(topic, partition, offset, e);
            return false;
        }
        sink.publish(EVENT_NAME, partition + "-" + offset, ScoreJson.toJson(score));
        return true;
    }

    private static Counter failureCounter(MeterRegistry registry, String reason) {
        return Counter.builder(DECODE_FAILURES).tag("reason", reason)
                .description("Score records skipped because they could not be decoded").register(registry);
    }

    private void skip(String topic, int partition, long offset, RuntimeException e) {
        Counter counter = e instanceof WireFormatException ? badWireFormat
                : e instanceof RegistryException ? registryUnavailable
                : otherFailures;
        counter.increment();
        long suppressed = warnings.permit();
        if (suppressed >= 0) {
            log.atWarn()
                    .addKeyValue("topic", topic)
                    .addKeyValue("partition", partition)
                    .addKeyValue("offset", offset)
                    .addKeyValue("suppressed", suppressed)
                    .log("skipping score record that does not decode: {}", String.valueOf(e));
        }
    }
}
