package io.vigil.topology.heartbeat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Nodes ordered by the time they become FAULTED, so a check reads only the nodes that are due instead
 * of scanning every node. Keys are the 8-byte big-endian deadline followed by the node id; for
 * non-negative times RocksDB's byte order is then deadline order.
 */
final class DeadlineIndex {

    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;

    DeadlineIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    void add(long deadline, String nodeId) {
        store.put(key(deadline, nodeId), PRESENT);
    }

    void remove(long deadline, String nodeId) {
        store.delete(key(deadline, nodeId));
    }

    /** Removes and returns the ids of nodes whose deadline is at or before {@code now}. */
    List<String> takeDue(long now) {
        List<String> due = new ArrayList<>();
        List<Bytes> keys = new ArrayList<>();
        // Upper bound: the bare 8-byte prefix of now + 1 sorts after every key of deadline <= now.
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(prefix(0)), Bytes.wrap(prefix(now + 1)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                byte[] k = entry.key.get();
                keys.add(entry.key);
                due.add(new String(k, Long.BYTES, k.length - Long.BYTES, StandardCharsets.UTF_8));
            }
        }
        keys.forEach(store::delete);
        return due;
    }

    private static Bytes key(long deadline, String nodeId) {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(deadline).put(id).array());
    }

    private static byte[] prefix(long deadline) {
        return ByteBuffer.allocate(Long.BYTES).putLong(Math.max(0, deadline)).array();
    }
}
