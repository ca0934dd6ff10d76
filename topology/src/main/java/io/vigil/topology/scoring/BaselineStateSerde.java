package io.vigil.topology.scoring;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fixed-size binary form of {@link BaselineDetector.State}, 49 bytes: the whole {@code channel-state}
 * record before models existed (format byte 1). The scorer now writes {@link ChannelState} records
 * (format 2) and reads this form only to restore a changelog written by an older scorer.
 */
public final class BaselineStateSerde implements Serde<BaselineDetector.State> {

    private static final byte FORMAT_V1 = 1;
    static final int SIZE = 1 + 8 * 6;

    @Override
    public Serializer<BaselineDetector.State> serializer() {
        return (topic, s) -> s == null ? null : ByteBuffer.allocate(SIZE)
                .put(FORMAT_V1)
                .putLong(s.count())
                .putLong(s.lastTime())
                .putDouble(s.lastValue())
                .putDouble(s.smoothedError())
                .putDouble(s.errorMean())
                .putDouble(s.errorVariance())
                .array();
    }

    @Override
    public Deserializer<BaselineDetector.State> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != SIZE || bytes[0] != FORMAT_V1) {
                throw new SerializationException("not a v1 baseline state (" + bytes.length + " bytes)");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
            return new BaselineDetector.State(b.getLong(), b.getLong(), b.getDouble(), b.getDouble(),
                    b.getDouble(), b.getDouble());
        };
    }
}
