package io.vigil.notifier.alert;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeStatus;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change worth telling someone about: an anomaly segment opened or closed, a node faulted or
 * recovered. {@code id} names the transition itself (what changed, of what, from when), the same
 * however often its record is read, so that a receiver can drop a repeat delivery; {@code alertKey}
 * names the alert the transition starts or ends (both transitions of one segment, or one fault and
 * its recovery, share it).
 *
 * @param kind what changed
 * @param firing true for OPEN and FAULTED, false for CLOSED and RECOVERED
 * @param subject the channel or node id
 * @param startsAt when the alerting condition began (segment start; the node's last heartbeat before
 *                 the fault, or the decision when unknown)
 * @param endsAt when it ended, for a transition that ends it; null while firing
 * @param severity Telemanom severity of a segment; 0 for nodes
 * @param details what else the record says, for people
 */
public record Transition(Kind kind, String name, boolean firing, String subject, Instant startsAt, Instant endsAt,
                         double severity, Map<String, String> details) {

    public enum Kind {
        ANOMALY("anomaly", "VigilAnomaly"),
        NODE("node", "VigilNodeFaulted");

        private final String label;
        private final String alertName;

        Kind(String label, String alertName) {
            this.label = label;
            this.alertName = alertName;
        }

        /** How configuration and the webhook body name the kind: {@code anomaly}, {@code node}. */
        public String label() {
            return label;
        }

        /** Alertmanager's {@code alertname} label. */
        public String alertName() {
            return alertName;
        }
    }

    public Transition {
        details = Map.copyOf(details);
    }

    /** The transition a segment event records; null for a status this notifier does not know. */
    public static Transition of(AnomalyEvent e) {
        if (e.getStatus() != AnomalyStatus.OPEN && e.getStatus() != AnomalyStatus.CLOSED) {
            return null;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("detector", e.getDetector() == null ? "UNKNOWN" : e.getDetector().name());
        if (e.getModelVersion() != null) {
            details.put("modelVersion", Integer.toString(e.getModelVersion()));
        }
        boolean open = e.getStatus() == AnomalyStatus.OPEN;
        return new Transition(Kind.ANOMALY, e.getStatus().name(), open, e.getChannelId(), e.getStart(),
                open ? null : e.getEnd() == null ? e.getStart() : e.getEnd(), e.getSeverity(), details);
    }

    /**
     * The transition a node-status record records; null for ALIVE (a first heartbeat or a change of
     * reported state is no alert) and for statuses this notifier does not know.
     */
    public static Transition of(NodeStatus n) {
        if (n.getStatus() != NodeLiveness.FAULTED && n.getStatus() != NodeLiveness.RECOVERED) {
            return null;
        }
        Map<String, String> details = new LinkedHashMap<>();
        if (n.getLastState() != null) {
            details.put("lastState", n.getLastState().name());
        }
        details.put("expectedIntervalMs", Long.toString(n.getExpectedIntervalMs()));
        if (n.getLastHeartbeat() != null) {
            details.put("lastHeartbeat", n.getLastHeartbeat().toString());
        }
        boolean faulted = n.getStatus() == NodeLiveness.FAULTED;
        Instant began = faulted && n.getLastHeartbeat() != null ? n.getLastHeartbeat() : n.getChangedAt();
        return new Transition(Kind.NODE, n.getStatus().name(), faulted, n.getNodeId(), began,
                faulted ? null : n.getChangedAt(), 0.0, details);
    }

    /** The transition's identity: kind, subject, name and time, e.g. {@code anomaly/ch-1/OPEN/1700000000000}. */
    public String id() {
        Instant at = firing ? startsAt : endsAt;
        return kind.label() + "/" + subject + "/" + name + "/" + at.toEpochMilli();
    }

    /** The alert's identity, shared by the transitions that start and end it. */
    public String alertKey() {
        return kind.label() + "/" + subject + (kind == Kind.ANOMALY ? "/" + startsAt.toEpochMilli() : "");
    }
}
