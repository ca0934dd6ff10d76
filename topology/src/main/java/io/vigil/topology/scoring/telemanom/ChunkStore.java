package io.vigil.topology.scoring.telemanom;

/**
 * Where one channel's {@link StreamingThreshold} state lives: a small header and
 * {@link ThresholdSettings#windowSize()} chunks, chunk k holding the smoothed errors and values of
 * the indices i with (i / batchSize) mod windowSize = k, as a {@code double[2 * batchSize]}: errors
 * at [0, batchSize), values at [batchSize, 2 batchSize), slot i mod batchSize.
 *
 * <p>Per record the detector reads and writes the header and exactly one chunk; once per batch it
 * also reads every chunk. A RocksDB-backed store can therefore keep each chunk under its own key and
 * write about 1.5 KB per record instead of the whole 33 KB window.
 *
 * <p>Ownership: the detector may modify an array returned by {@link #chunk(int)} or a header returned
 * by {@link #header()} and then hands it to the matching put; it keeps no reference after the call
 * that obtained it returns. A store may hand out its stored objects or copies.
 */
public interface ChunkStore {

    /** The channel's header, or null for a channel never seen. */
    StreamState header();

    void putHeader(StreamState header);

    /** Chunk {@code index}, or null if never written. */
    double[] chunk(int index);

    void putChunk(int index, double[] chunk);
}
