package io.vigil.bridge.kafka;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeStatus;

/**
 * The JSON shapes of the other three streamed records, by the same rules as {@link ScoreJson}: Avro
 * field names, epoch milliseconds, nulls for absent or non-finite values, {@code recordTime} last.
 * Node events also carry {@code state}, what a dashboard shows: FAULTED, or else the state the node
 * reported in its last heartbeat.
 */
public final class SegmentJson {

    public static String anomaly(AnomalyEvent a, long recordTime) {
        return JsonText.object(g -> {
            g.writeStringField("channelId", a.getChannelId());
            JsonText.millis(g, "start", a.getStart());
            JsonText.millis(g, "end", a.getEnd());
            JsonText.symbol(g, "status", a.getStatus());
            JsonText.finite(g, "severity", a.getSeverity());
            JsonText.symbol(g, "detector", a.getDetector());
            JsonText.integer(g, "modelVersion", a.getModelVersion());
            g.writeNumberField("recordTime", recordTime);
        });
    }

    public static String label(LabelSegment l, long recordTime) {
        return JsonText.object(g -> {
            g.writeStringField("channelId", l.getChannelId());
            JsonText.millis(g, "start", l.getStart());
            JsonText.millis(g, "end", l.getEnd());
            g.writeStringField("source", l.getSource());
            g.writeStringField("kind", l.getKind());
            g.writeNumberField("recordTime", recordTime);
        });
    }

    public static String node(NodeStatus n, long recordTime) {
        return JsonText.object(g -> {
            g.writeStringField("nodeId", n.getNodeId());
            JsonText.symbol(g, "status", n.getStatus());
            g.writeStringField("state", displayState(n));
            JsonText.millis(g, "changedAt", n.getChangedAt());
            JsonText.millis(g, "lastHeartbeat", n.getLastHeartbeat());
            JsonText.symbol(g, "lastState", n.getLastState());
            g.writeNumberField("expectedIntervalMs", n.getExpectedIntervalMs());
            g.writeNumberField("recordTime", recordTime);
        });
    }

    /** FAULTED when the topology says so, else what the node said it was doing (UNKNOWN if nothing). */
    public static String displayState(NodeStatus n) {
        if (n.getStatus() == io.vigil.avro.NodeLiveness.FAULTED) {
            return "FAULTED";
        }
        return n.getLastState() == null ? "UNKNOWN" : n.getLastState().name();
    }

    private SegmentJson() {}
}
