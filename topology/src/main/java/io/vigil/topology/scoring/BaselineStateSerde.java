package io.vigil.topology.scoring;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fixed-size binary form of {@link BaselineDetector.State} for the state store and its changelog:
 * 49 bytes per channel, written once per point, so it stays a small fraction of the record cost.
 * The leading format byte lets a later layout coexist with changelogs written by this one.
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
