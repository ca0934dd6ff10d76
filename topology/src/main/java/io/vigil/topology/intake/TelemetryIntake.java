package io.vigil.topology.intake;

import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.serde.WireFormatException;
import io.vigil.topology.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes raw telemetry records and decides which can be scored. Decoding happens here rather than in
 * the source's deserializer so that a bad record becomes a dead letter with its reason and bytes
 * instead of stopping the stream thread.
 *
 * <p>Outcomes: garbage or truncated bytes, a tombstone -> MALFORMED; a schema id the registry does not
 * know -> UNKNOWN_SCHEMA; no key -> MISSING_KEY (the key decides the partition, so a keyless point
 * would land beside the wrong channel state); key differing from channelId -> KEY_MISMATCH; NaN or
 * infinite value -> INVALID_VALUE. A registry outage is not the record's fault and is not caught: the
 * thread fails, is replaced, and retries the record.
 */
public final class TelemetryIntake implements Processor<byte[], byte[], Object, Object> {

    private final Deserializer<TelemetryPoint> deserializer;
    private final DeadLetters deadLetters;
    private final String scorerName;
    private ProcessorContext<Object, Object> context;

    public TelemetryIntake(Deserializer<TelemetryPoint> deserializer, DeadLetters deadLetters, String scorerName) {
        this.deserializer = deserializer;
        this.deadLetters = deadLetters;
        this.scorerName = scorerName;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] key = record.key();
        byte[] value = record.value();
        if (value == null) {
            reject(record, DeadLetterReason.MALFORMED, "tombstone: null value");
            return;
        }
        TelemetryPoint point;
        try {
            point = deserializer.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(""), value);
        } catch (WireFormatException e) {
            DeadLetterReason reason = e.kind() == WireFormatException.Kind.UNKNOWN_SCHEMA_ID
                    ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.MALFORMED;
            reject(record, reason, e.getMessage());
            return;
        } catch (SerializationException e) {
            reject(record, DeadLetterReason.MALFORMED, String.valueOf(e.getMessage()));
            return;
        }
        if (key == null) {
            reject(record, DeadLetterReason.MISSING_KEY, "no key; telemetry must be keyed by channel id");
            return;
        }
        String channel = new String(key, StandardCharsets.UTF_8);
        if (!channel.equals(point.getChannelId())) {
            reject(record, DeadLetterReason.KEY_MISMATCH,
                    "key '" + channel + "' differs from channelId '" + point.getChannelId() + "'");
            return;
        }
        if (!Double.isFinite(point.getValue())) {
            reject(record, DeadLetterReason.INVALID_VALUE, "value is " + point.getValue());
            return;
        }
        context.forward(new Record<Object, Object>(channel, new ReceivedPoint(point, key, value), record.timestamp()),
                scorerName);
    }

    private void reject(Record<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        deadLetters.send(context, record, record.key(), record.value(), reason, detail);
    }
}
