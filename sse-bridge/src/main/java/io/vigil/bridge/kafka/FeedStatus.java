package io.vigil.bridge.kafka;

/**
 * Where the score feed stands: {@code ready} once its partitions are assigned and positioned and a
 * poll has returned; until then {@code detail} says what it is waiting for.
 */
public record FeedStatus(boolean ready, String detail, int partitions) {

    static FeedStatus starting(String detail) {
        return new FeedStatus(false, detail, 0);
    }
}
