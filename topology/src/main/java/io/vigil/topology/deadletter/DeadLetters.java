package io.vigil.topology.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns an input record that cannot be scored into a {@link DeadLetter} on the dead-letter sink,
 * keeping the original bytes and position, and counts it by reason. This is the only way a record
 * leaves the topology without a score.
 */
public final class DeadLetters {

    private final String sinkName;
    private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);

    public DeadLetters(String sinkName, MeterRegistry meters) {
        this.sinkName = sinkName;
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counters.put(reason, Counter.builder("vigil.dead.letters")
                    .description("input records sent to the dead-letter topic")
                    .tag("reason", reason.name())
                    .register(meters));
        }
    }

    /** Forwards the dead letter of the record now being processed to the dead-letter sink. */
    public void send(ProcessorContext<?, ?> context, Record<?, ?> input, byte[] rawKey, byte[] rawValue,
                     DeadLetterReason reason, String detail) {
        RecordMetadata origin = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("dead letters are only sent while processing an input record"));
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginTopic(origin.topic())
                .setOriginPartition(origin.partition())
                .setOriginOffset(origin.offset())
                .setReason(reason)
                .setDetail(detail)
                .setRawKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
                .setRawValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .setFailedAt(Instant.now())
                .build();
        @SuppressWarnings("unchecked")
        ProcessorContext<Object, Object> forwarding = (ProcessorContext<Object, Object>) context;
        forwarding.forward(new Record<Object, Object>(rawKey, letter, input.timestamp()), sinkName);
        counters.get(reason).increment();
    }
}
