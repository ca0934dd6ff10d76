package io.vigil.topology.heartbeat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.intake.Received;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Marks a node FAULTED once it has missed {@code missedBeats} consecutive heartbeats of its own learned
 * interval, and RECOVERED when a heartbeat arrives again; PARKED nodes are never faulted for silence.
 * A node is ALIVE from its first heartbeat, so it is visible before it ever fails, and again whenever
 * the state it reports (ONLINE, BUSY, PARKED) changes while it beats on time. Emits one
 * {@link NodeStatus} per such change, never one per check or per heartbeat.
 *
 * <p>Each node's interval is learned from the gaps between its heartbeats (an exponential moving
 * average; the first gap replaces the default; gaps above twice the current estimate are missed
 * heartbeats, not cadence, and are not learned; never below the floor). A periodic check in the
 * configured clock takes only the nodes whose deadline has passed from a deadline-ordered index, so
 * its cost follows the number of nodes that fault, not the number of nodes.
 *
 * <p>A heartbeat older than or as old as the node's newest one (late or duplicate) changes nothing and
 * is counted; the record timestamp of a heartbeat must be its time, as the replay producer sets it.
 */
public final class NodeLivenessProcessor implements Processor<String, Received<Heartbeat>, Object, Object> {

    private final LivenessSettings settings;
    private final String nodeStoreName;
    private final String deadlineStoreName;
    private final String statusSink;
    private final DeadLetters deadLetters;
    private final Counter late;
    private final Counter duplicate;
    private final java.util.Map<NodeLiveness, Counter> transitions;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, NodeRecord> nodes;
    private DeadlineIndex deadlines;
    /**
     * The newest heartbeat time this task accepted. In stream-time mode silence is judged against it,
     * not against Kafka's stream time: a record refused for its time (dated years ahead) still moves
     * stream time, and would otherwise fault every node of the partition at once. Not stored: after a
     * restart nothing faults until the first heartbeat is accepted again.
     */
    private long acceptedTime = Long.MIN_VALUE;

    public NodeLivenessProcessor(LivenessSettings settings, String nodeStoreName, String deadlineStoreName,
                                 String statusSink, DeadLetters deadLetters, MeterRegistry meters) {
        this.settings = settings;
        this.nodeStoreName = nodeStoreName;
        this.deadlineStoreName = deadlineStoreName;
        this.statusSink = statusSink;
        this.deadLetters = deadLetters;
        this.late = ignored(meters, "late");
        this.duplicate = ignored(meters, "duplicate");
        this.transitions = new java.util.EnumMap<>(NodeLiveness.class);
        for (NodeLiveness status : NodeLiveness.values()) {
            transitions.put(status, Counter.builder("vigil.node.transitions")
                    .description("node status records written: ALIVE (first heartbeat, or a new reported state), FAULTED for silence, RECOVERED by a heartbeat")
                    .tag("status", status.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
        }
    }

    /** The serde of the node state store. */
    public static org.apache.kafka.common.serialization.Serde<?> storeSerde() {
        return new NodeRecord.StoreSerde();
    }

    private static Counter ignored(MeterRegistry meters, String reason) {
        return Counter.builder("vigil.heartbeats.ignored")
                .description("heartbeats that changed nothing because a newer one was already seen")
                .tag("reason", reason)
                .register(meters);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.nodes = context.getStateStore(nodeStoreName);
        KeyValueStore<Bytes, byte[]> index = context.getStateStore(deadlineStoreName);
        this.deadlines = new DeadlineIndex(index);
        PunctuationType type = settings.timeMode() == LivenessSettings.TimeMode.STREAM_TIME
                ? PunctuationType.STREAM_TIME : PunctuationType.WALL_CLOCK_TIME;
        context.schedule(Duration.ofMillis(settings.checkIntervalMs()), type, this::faultSilentNodes);
    }

    @Override
    public void process(Record<String, Received<Heartbeat>> record) {
        try {
            absorb(record);
        } catch (RuntimeException e) {
            deadLetters.failed(context, record, record.value().rawKey(), record.value().rawValue(), e);
        }
    }

    /** Everything is decided before the first write, so a failure leaves the node as it was. */
    private void absorb(Record<String, Received<Heartbeat>> record) {
        Heartbeat beat = record.value().value();
        String nodeId = record.key();
        long time = beat.getTime().toEpochMilli();
        NodeRecord before = nodes.get(nodeId);
        if (before != null && time <= before.lastHeartbeat()) {
            (time == before.lastHeartbeat() ? duplicate : late).increment();
            return;
        }
        long seen = settings.timeMode() == LivenessSettings.TimeMode.STREAM_TIME ? time : context.currentSystemTimeMs();
        acceptedTime = Math.max(acceptedTime, time);
        double interval = learnInterval(before, time);
        long deadline = beat.getState() == NodeState.PARKED
                ? NodeRecord.NO_DEADLINE : seen + settings.silenceAllowedMs(interval);
        NodeRecord after = new NodeRecord(time, seen, beat.getState(), interval,
                before == null ? 1 : before.beats() + 1, deadline, false);
        if (before != null && before.deadline() != NodeRecord.NO_DEADLINE) {
            deadlines.remove(before.deadline(), nodeId);
        }
        if (deadline != NodeRecord.NO_DEADLINE) {
            deadlines.add(deadline, nodeId);
        }
        nodes.put(nodeId, after);
        if (before == null || !before.faulted() && before.state() != after.state()) {
            emit(nodeId, NodeLiveness.ALIVE, seen, after, record.timestamp());
        } else if (before.faulted()) {
            emit(nodeId, NodeLiveness.RECOVERED, seen, after, record.timestamp());
        }
    }

    private double learnInterval(NodeRecord before, long time) {
        if (before == null) {
            return settings.defaultIntervalMs();
        }
        double gap = time - before.lastHeartbeat();
        double learned;
        if (before.beats() == 1) {
            learned = gap;
        } else if (gap <= 2 * before.intervalMs()) {
            learned = before.intervalMs() + settings.learningRate() * (gap - before.intervalMs());
        } else {
            learned = before.intervalMs();
        }
        return Math.max(settings.floorIntervalMs(), learned);
    }

    /**
     * A node is FAULTED at its deadline, which is what {@code changedAt} says; the check may run later
     * than that, since stream time can jump by a whole poll batch between two checks.
     */
    private void faultSilentNodes(long punctuatedAt) {
        long now = settings.timeMode() == LivenessSettings.TimeMode.STREAM_TIME
                ? Math.min(punctuatedAt, acceptedTime) : punctuatedAt;
        for (String nodeId : deadlines.takeDue(now)) {
            NodeRecord node = nodes.get(nodeId);
            if (node == null || node.faulted()) {
                continue;
            }
            NodeRecord faulted = node.asFaulted();
            nodes.put(nodeId, faulted);
            emit(nodeId, NodeLiveness.FAULTED, node.deadline(), faulted, now);
        }
    }

    private void emit(String nodeId, NodeLiveness status, long at, NodeRecord node, long timestamp) {
        NodeStatus change = NodeStatus.newBuilder()
                .setNodeId(nodeId)
                .setStatus(status)
                .setChangedAt(Instant.ofEpochMilli(at))
                .setLastHeartbeat(Instant.ofEpochMilli(node.lastHeartbeat()))
                .setLastState(node.state())
                .setExpectedIntervalMs(Math.round(node.intervalMs()))
                .build();
        context.forward(new Record<Object, Object>(nodeId, change, timestamp), statusSink);
        transitions.get(status).increment();
    }
}
