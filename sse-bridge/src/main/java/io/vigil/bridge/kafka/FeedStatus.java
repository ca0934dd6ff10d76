package io.vigil.bridge.kafka;

/**
 * Where the feed stands. {@code STARTING}: no partitions assigned yet (broker or topics away);
 * {@code CATCHING_UP}: reading the look-back that warms the views, {@code lag} records to go;
 * {@code READY}: live, {@code lag} records behind the log ends. {@code detail} says what it waits for.
 */
public record FeedStatus(Phase phase, String detail, int partitions, long lag) {

    public enum Phase { STARTING, CATCHING_UP, READY }

    public boolean ready() {
        return phase == Phase.READY;
    }

    static FeedStatus starting(String detail) {
        return new FeedStatus(Phase.STARTING, detail, 0, 0);
    }
}
