package io.vigil.bridge.kafka;

/**
 * Where decoded scores go; in the bridge this is the fan-out hub's {@code publish}. Kept as an
 * interface so the Kafka side knows nothing about HTTP.
 */
@FunctionalInterface
public interface EventSink {

    /** Must not block: the caller is the single consumer thread. */
    void publish(String event, String id, String data);
}
