package io.vigil.bridge.kafka;

import io.vigil.bridge.events.Position;

/** A decoded record as the feed hands it on, with the input position just after it. */
public record FeedRecord(int partition, long offset, long timestamp, Decoded decoded, Position after) {
}
