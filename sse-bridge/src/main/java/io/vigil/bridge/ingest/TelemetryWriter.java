package io.vigil.bridge.ingest;

import io.vigil.avro.TelemetryPoint;

import java.util.List;

/** Writes a batch of points to the telemetry topic, all of them or none. */
public interface TelemetryWriter extends AutoCloseable {

    /**
     * Returns once every point is written and visible to read_committed readers (the scorer).
     *
     * @throws Unavailable when Kafka or the registry did not take the batch, for a reason that may pass;
     *                     none of it is visible then
     * @throws Unwritable when the batch cannot be written however often it is sent (the registry
     *                    refuses the schema, the cluster refuses this client); none of it is visible
     */
    void write(List<TelemetryPoint> points) throws Unavailable, Unwritable;

    @Override
    void close();

    /** The batch was not written, for a reason that may pass: the client should retry later. */
    final class Unavailable extends Exception {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The batch was not written, and sending it again will not help until an operator acts. */
    final class Unwritable extends Exception {
        public Unwritable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
