package io.vigil.bridge.views;

import io.vigil.avro.NodeStatus;
import io.vigil.bridge.kafka.SegmentJson;

/**
 * One node as {@code /api/nodes} shows it, from its latest node-status record. {@code state} is what
 * a dashboard shows (FAULTED, or the state of its last heartbeat: ONLINE, BUSY, PARKED, UNKNOWN);
 * {@code liveness} the topology's verdict (ALIVE, FAULTED, RECOVERED). Node-status records are written
 * at a node's first heartbeat and on changes only (of liveness, or of the state it reports), never per
 * heartbeat, so {@code lastHeartbeat} is the heartbeat of the latest change; {@code lastSeen} is the
 * latest heartbeat the bridge has read of the node (its sender's time; null before it has read one).
 */
public record NodeSummary(String nodeId, String state, String liveness, long changedAt, Long lastHeartbeat,
                          String lastState, long expectedIntervalMs, long recordTime, Long lastSeen) {

    static NodeSummary of(NodeStatus n, long recordTime) {
        return new NodeSummary(n.getNodeId(), SegmentJson.displayState(n),
                n.getStatus() == null ? null : n.getStatus().name(),
                n.getChangedAt().toEpochMilli(),
                n.getLastHeartbeat() == null ? null : n.getLastHeartbeat().toEpochMilli(),
                n.getLastState() == null ? null : n.getLastState().name(),
                n.getExpectedIntervalMs(), recordTime, null);
    }

    NodeSummary seenAt(Long time) {
        return new NodeSummary(nodeId, state, liveness, changedAt, lastHeartbeat, lastState, expectedIntervalMs,
                recordTime, time);
    }
}
