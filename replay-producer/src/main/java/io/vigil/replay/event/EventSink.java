package io.vigil.replay.event;

import io.vigil.avro.NodeState;

/**
 * Where replays and simulations put the records they produce, in the order they must be sent.
 *
 * <p>Decides the addressing: channels and nodes are declared once and then named by the small integer
 * handle returned, so the per-record path never looks a name up or re-encodes it. All calls come from
 * one thread.
 */
public interface EventSink {

    /** Declares a channel (its points and labels are keyed by {@code channelId}); returns its handle. */
    int channel(String channelId, String source);

    /** Declares a node (its heartbeats are keyed by {@code nodeId}); returns its handle. */
    int node(String nodeId);

    /** The inputs of a point that carries none. */
    double[] NO_INPUTS = new double[0];

    /**
     * One telemetry point with its input features ({@code TelemetryPoint.inputs}; read during the
     * call, not kept); the record timestamp is {@code eventTime}.
     */
    void point(int channel, long eventTime, double value, double[] inputs);

    /** One telemetry point of the value alone. */
    default void point(int channel, long eventTime, double value) {
        point(channel, eventTime, value, NO_INPUTS);
    }

    /**
     * One ground-truth window {@code [start, end]} (inclusive, event time) of a channel, published at
     * event time {@code publishedAt} (its record timestamp), which is never after the first point the
     * window is about.
     */
    void label(int channel, long publishedAt, long start, long end, String kind);

    /** One heartbeat; the record timestamp is {@code time}. {@code target} may be null. */
    void heartbeat(int node, long time, NodeState state, String target);

    /** Everything emitted before this call is stored before anything emitted after it is sent. */
    void barrier();
}
