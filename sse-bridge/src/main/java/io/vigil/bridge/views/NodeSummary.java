package io.vigil.bridge.views;

import io.vigil.avro.NodeStatus;
import io.vigil.bridge.kafka.SegmentJson;

/**
 * One node as {@code /api/nodes} shows it, from its latest node-status record. {@code state} is what
 * a dashboard shows (FAULTED, or the state of its last heartbeat: ONLINE, BUSY, PARKED, UNKNOWN);
 * {@code liveness} the topology's verdict (FAULTED, RECOVERED). Node-status records are written on
 * transitions only, so {@code lastHeartbeat} is the last heartbeat before the latest transition.
 */
public record NodeSummary(String nodeId, String state, String liveness, long changedAt, Long lastHeartbeat,
                          String lastState, long expectedIntervalMs, long recordTime) {

    static NodeSummary of(NodeStatus n, long recordTime) {
        return new NodeSummary(n.getNodeId(), SegmentJson.displayState(n),
                n.getStatus() == null ? null : n.getStatus().name(),
                n.getChangedAt().toEpochMilli(),
                n.getLastHeartbeat() == null ? null : n.getLastHeartbeat().toEpochMilli(),
                n.getLastState() == null ? null : n.getLastState().name(),
                n.getExpectedIntervalMs(), recordTime);
    }
}
