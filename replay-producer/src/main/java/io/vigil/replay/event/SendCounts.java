package io.vigil.replay.event;

/** Records handed to Kafka so far, by kind, and how many of them the broker has acknowledged. */
public record SendCounts(long points, long labels, long heartbeats, long acknowledged) {

    public long total() {
        return points + labels + heartbeats;
    }

    /** What was sent and acknowledged since {@code earlier}. */
    public SendCounts since(SendCounts earlier) {
        return new SendCounts(points - earlier.points, labels - earlier.labels, heartbeats - earlier.heartbeats,
                acknowledged - earlier.acknowledged);
    }
}
