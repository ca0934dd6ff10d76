package io.vigil.topology.scoring.telemanom;

/**
 * Where one channel's error window lives for the {@link StreamingThreshold}:
 * {@link ThresholdSettings#windowSize()} {@link Chunk}s, chunk k holding the indices i with
 * (i / batchSize) mod windowSize = k at slot i mod batchSize. The rest of the threshold's state, the
 * {@link StreamState}, belongs to the caller and is passed to each {@code accept}.
 *
 * <p>Per record the detector reads and writes exactly one chunk, the one holding the new index; once
 * per batch it also reads every chunk. A store can therefore keep the chunks apart from the small
 * per-channel record and write a chunk only when it changes for good.
 *
 * <p>Ownership: the detector may modify a chunk returned by {@link #chunk(int)} and then hands it to
 * {@link #putChunk}; it keeps no reference after the call that obtained it returns.
 */
public interface ChunkStore {

    /** Chunk {@code index}, or null if it holds nothing of the current window. */
    Chunk chunk(int index);

    void putChunk(int index, Chunk chunk);
}
