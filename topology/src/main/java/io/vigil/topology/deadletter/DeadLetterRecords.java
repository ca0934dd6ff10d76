package io.vigil.topology.deadletter;

import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Dead letters written by Kafka Streams' exception handlers rather than by a processor: the handlers
 * hand Streams finished records, so the letter is serialized here, with the serde settings and size
 * limit the scorer put into its Streams properties under {@link #MAX_BYTES_CONFIG}.
 */
public final class DeadLetterRecords {

    /** Streams property carrying {@code dead.letter.max.bytes} to the handlers. */
    public static final String MAX_BYTES_CONFIG = "vigil.dead.letter.max.bytes";

    private DeadLetterRecords() {}

    static Serializer<DeadLetter> serializer(Map<String, ?> configs) {
        return AvroSerde.configured(DeadLetter.class, configs, false).serializer();
    }

    static int maxBytes(Map<String, ?> configs) {
        Object value = configs.get(MAX_BYTES_CONFIG);
        return value == null ? DeadLetters.DEFAULT_MAX_BYTES : Integer.parseInt(value.toString());
    }

    static ProducerRecord<byte[], byte[]> record(ErrorHandlerContext context, byte[] key, byte[] value,
                                                 DeadLetterReason reason, String detail, int maxBytes,
                                                 Serializer<DeadLetter> serializer) {
        DeadLetters.Letter letter = DeadLetters.letter(context.topic(), context.partition(), context.offset(), key, value,
                reason, detail, maxBytes);
        String topic = Topics.DEAD_LETTERS.name();
        return new ProducerRecord<>(topic, null, context.timestamp(), letter.key(),
                serializer.serialize(topic, letter.value()));
    }
}
