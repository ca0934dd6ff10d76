package io.vigil.topology.scoring.telemanom;

/**
 * A decided anomalous sequence of a channel: indices {@code start} to {@code end} inclusive (0-based
 * positions in the channel's error series, at least two of them) and its severity, the largest
 * per-index severity (see {@link WindowVerdict#severity()}) in it.
 */
public record AnomalySequence(long start, long end, double severity) {

    public long length() {
        return end - start + 1;
    }
}
