package io.vigil.topology.scoring.telemanom;

/** A {@link ChunkStore} in plain fields, for tests and single-process use; one per channel. */
public final class InMemoryChunkStore implements ChunkStore {

    private final double[][] chunks;
    private StreamState header;

    public InMemoryChunkStore(ThresholdSettings settings) {
        this.chunks = new double[settings.windowSize()][];
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
    public double[] chunk(int index) {
        return chunks[index];
    }

    @Override
    public void putChunk(int index, double[] chunk) {
        chunks[index] = chunk;
    }
}
