package io.vigil.topology.heartbeat;

import io.vigil.avro.NodeState;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the liveness processor remembers of one node.
 *
 * @param lastHeartbeat event time of the newest heartbeat
 * @param lastSeen when that heartbeat counted as seen, in the processor's clock
 * @param state what the node reported in it
 * @param intervalMs the node's learned heartbeat interval
 * @param beats heartbeats seen so far
 * @param deadline when the node becomes FAULTED, or -1 when none is pending (PARKED or already FAULTED)
 * @param faulted whether the node is FAULTED now
 */
record NodeRecord(long lastHeartbeat, long lastSeen, NodeState state, double intervalMs, long beats,
                  long deadline, boolean faulted) {

    static final long NO_DEADLINE = -1;

    NodeRecord asFaulted() {
        return new NodeRecord(lastHeartbeat, lastSeen, state, intervalMs, beats, NO_DEADLINE, true);
    }

    /** Fixed 43-byte binary form for the store; a leading format byte leaves room for change. */
    static final class StoreSerde implements Serde<NodeRecord> {
        private static final byte FORMAT_V1 = 1;
        private static final int SIZE = 1 + 8 + 8 + 1 + 8 + 8 + 8 + 1;

        @Override
        public Serializer<NodeRecord> serializer() {
            return (topic, n) -> n == null ? null : ByteBuffer.allocate(SIZE)
                    .put(FORMAT_V1)
                    .putLong(n.lastHeartbeat())
                    .putLong(n.lastSeen())
                    .put((byte) n.state().ordinal())
                    .putDouble(n.intervalMs())
                    .putLong(n.beats())
                    .putLong(n.deadline())
                    .put((byte) (n.faulted() ? 1 : 0))
                    .array();
        }

        @Override
        public Deserializer<NodeRecord> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length != SIZE || bytes[0] != FORMAT_V1) {
                    throw new SerializationException("not a v1 node record (" + bytes.length + " bytes)");
                }
                ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
                return new NodeRecord(b.getLong(), b.getLong(), NodeState.values()[b.get()], b.getDouble(),
                        b.getLong(), b.getLong(), b.get() == 1);
            };
        }
    }
}
