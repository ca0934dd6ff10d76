package io.vigil.bridge.ingest;

import io.vigil.avro.TelemetryPoint;

import java.util.List;

/** Writes a batch of points to the telemetry topic, all of them or none. */
public interface TelemetryWriter extends AutoCloseable {

    /**
     * Returns once every point is written and visible to read_committed readers (the scorer).
     *
     * @throws Unavailable when Kafka or the registry did not take the batch; none of it is visible then
     */
    void write(List<TelemetryPoint> points) throws Unavailable;

    @Override
    void close();

    /** The batch was not written, for a reason that may pass: the client should retry later. */
    final class Unavailable extends Exception {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
