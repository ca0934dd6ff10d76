package io.vigil.topology.scoring.telemanom;

/** A {@link ChunkStore} in plain fields; one per channel. */
final class InMemoryChunkStore implements ChunkStore {

    private final Chunk[] chunks;

    InMemoryChunkStore(ThresholdSettings settings) {
        this.chunks = new Chunk[settings.windowSize()];
    }

    @Override
    public Chunk chunk(int index) {
        return chunks[index];
    }

    @Override
    public void putChunk(int index, Chunk chunk) {
        chunks[index] = chunk;
    }
}
