package io.vigil.topology.scoring;

import io.vigil.topology.scoring.telemanom.ChunkStore;
import io.vigil.topology.scoring.telemanom.StreamState;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@link ChunkStore} of the channel being scored, over the {@code channel-window} store: chunk k
 * of a channel is the key {@code <channel>/c<k>}, so a point rewrites one chunk of about 1.7 KB
 * instead of a 50 KB window. The header is not stored here but handed over in memory: it is part of
 * the channel's state record.
 *
 * <p>Each chunk also keeps the event time of each of its slots, because the threshold reports
 * segments by index and an anomaly event needs times: the newest h indices, which is everything a
 * segment event can name except the start of a segment already open (kept in {@link AnomalyRun}),
 * can be turned into times. Chunk value: format byte, errors and values of the batch (doubles), then
 * the times (longs), little-endian so that on x86 they copy without byte swapping (1,681 bytes with
 * batches of 70).
 *
 * <p>One instance per processor; {@link #bind} it to a channel and its next index before every
 * {@code accept}. Writes are staged until {@link #commit}: a point that fails half-way is
 * {@link #discard}ed and leaves the channel's chunks as they were before it.
 */
final class ChunkWindow implements ChunkStore {

    private static final byte FORMAT_V1 = 1;
    /** Marks a staged delete. */
    private static final byte[] DELETED = new byte[0];

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, byte[]> staged = new LinkedHashMap<>();
    private final StateBytes written;
    private String channel;
    private int batch;
    private int windowSize;
    private StreamState header;
    private long index;
    private long time;
    /** The times of the chunk holding {@link #index}, read with it and written back with it. */
    private long[] currentTimes;

    ChunkWindow(KeyValueStore<String, byte[]> store, StateBytes written) {
        this.store = store;
        this.written = written;
    }

    /** Prepares for the channel's point number {@code index} (0-based since the window's reset) at {@code time}. */
    void bind(String channel, ThresholdSettings settings, StreamState header, long index, long time) {
        this.channel = channel;
        this.batch = settings.batchSize();
        this.windowSize = settings.windowSize();
        this.header = header;
        this.index = index;
        this.time = time;
        this.currentTimes = null;
    }

    private int chunkOf(long i) {
        return (int) ((i / batch) % windowSize);
    }

    private static String key(String channel, int chunk) {
        return channel + "/c" + chunk;
    }

    @Override
    public StreamState header() {
        return header;
    }

    @Override
    public void putHeader(StreamState header) {
        this.header = header;
    }

    @Override
    public double[] chunk(int k) {
        byte[] bytes = read(key(channel, k));
        if (bytes == null || bytes.length != size()) {
            // Absent, or left by a model with other settings: the threshold starts the chunk afresh.
            if (k == chunkOf(index)) {
                currentTimes = new long[batch];
            }
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        double[] chunk = new double[2 * batch];
        in.asDoubleBuffer().get(chunk);
        if (k == chunkOf(index)) {
            currentTimes = new long[batch];
            in.position(in.position() + chunk.length * Double.BYTES);
            in.asLongBuffer().get(currentTimes);
        }
        return chunk;
    }

    @Override
    public void putChunk(int k, double[] chunk) {
        if (k != chunkOf(index)) {
            throw new IllegalStateException("the threshold writes only the chunk of the point being scored");
        }
        if (currentTimes == null) {
            currentTimes = new long[batch];
        }
        currentTimes[(int) (index % batch)] = time;
        ByteBuffer out = ByteBuffer.allocate(size()).order(ByteOrder.LITTLE_ENDIAN).put(FORMAT_V1);
        out.asDoubleBuffer().put(chunk);
        out.position(1 + chunk.length * Double.BYTES);
        out.asLongBuffer().put(currentTimes);
        String key = key(channel, k);
        staged.put(key, out.array());
        written.add(key, out.array().length);
    }

    /** Event time of the channel's point {@code i}, which must be among the newest h indices. */
    long timeOf(long i) {
        byte[] bytes = read(key(channel, chunkOf(i)));
        if (bytes == null || bytes.length != size()) {
            throw new IllegalStateException("no time for index " + i + " of " + channel);
        }
        int at = 1 + 2 * batch * Double.BYTES + (int) (i % batch) * Long.BYTES;
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    /** Deletes a channel's chunks, e.g. when its window is reset or its model retired. */
    void clear(String channel, int windowSize) {
        for (int k = 0; k < windowSize; k++) {
            staged.put(key(channel, k), DELETED);
        }
    }

    /** Writes what the point staged to the store. */
    void commit() {
        for (Map.Entry<String, byte[]> e : staged.entrySet()) {
            if (e.getValue() == DELETED) {
                store.delete(e.getKey());
            } else {
                store.put(e.getKey(), e.getValue());
            }
        }
        staged.clear();
    }

    /** Forgets what the point staged. */
    void discard() {
        staged.clear();
    }

    private byte[] read(String key) {
        byte[] bytes = staged.get(key);
        if (bytes == null) {
            return store.get(key);
        }
        return bytes == DELETED ? null : bytes;
    }

    private int size() {
        return 1 + 2 * batch * Double.BYTES + batch * Long.BYTES;
    }
}
