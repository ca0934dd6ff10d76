package io.vigil.bridge.kafka;

import io.vigil.bridge.events.EventType;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record decoded for streaming: its Avro value (for the views), the fields filters look at
 * (channel and source, null when the type has none or, for anomalies, until the views name the
 * channel's source) and its event JSON.
 */
public record Decoded(EventType type, SpecificRecord value, String channel, String source, String json) {
}
