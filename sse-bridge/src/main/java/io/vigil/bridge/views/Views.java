package io.vigil.bridge.views;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeStatus;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Position;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The state behind the REST API, built from the same records the feed streams: per channel, per node,
 * and the recent anomaly and label segments. It decides what is kept: at most {@code maxKeys} channels
 * and as many nodes (more are counted in {@link #untracked()} and left out, so a runaway key space
 * cannot exhaust memory), the last {@code segments} anomaly and label segments, and charts' recent
 * scores for as many channels as {@link ViewSettings} allows.
 *
 * <p>One monitor guards everything. The feed applies a batch and publishes it to the hub while holding
 * it, so a snapshot taken with {@link #snapshot} comes with the exact stream position it reflects: a
 * client that reads a snapshot and then streams from that position sees every later event once.
 */
public final class Views {

    /** A read of the views and the stream position just after the last record it includes. */
    public record Snapshot<T>(T value, Position position) {
    }

    private final ViewSettings settings;
    private final Map<String, ChannelState> channels = new HashMap<>();
    private final Map<String, NodeSummary> nodes = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final SegmentLog anomalies;
    private final SegmentLog labels;
    private long untracked;
    private int charted;

    public Views(ViewSettings settings) {
        this.settings = settings;
        this.anomalies = new SegmentLog(settings.segments(), false);
        this.labels = new SegmentLog(settings.segments(), true);
    }

    /**
     * Takes one record into account; returns the source to route its event by (for anomalies, which
     * carry none, the channel's as last scored).
     */
    public synchronized String apply(EventType type, SpecificRecord value, long recordTime) {
        switch (type) {
            case SCORE -> {
                ChannelScore score = (ChannelScore) value;
                ChannelState channel = channel(score.getChannelId());
                if (channel != null) {
                    channel.score(score, recordTime);
                }
                return score.getSource();
            }
            case ANOMALY -> {
                AnomalyEvent event = (AnomalyEvent) value;
                anomalies.add(SegmentSummary.of(event, recordTime));
                ChannelState channel = channel(event.getChannelId());
                if (channel == null) {
                    return null;
                }
                channel.anomaly(event);
                return channel.source().isEmpty() ? null : channel.source();
            }
            case LABEL -> {
                LabelSegment label = (LabelSegment) value;
                labels.add(SegmentSummary.of(label, recordTime));
                ChannelState channel = channel(label.getChannelId());
                if (channel != null) {
                    channel.label();
                }
                return label.getSource();
            }
            case NODE -> {
                node((NodeStatus) value, recordTime);
                return null;
            }
            default -> throw new IllegalArgumentException(String.valueOf(type));
        }
    }

    /** Runs {@code task} holding the views' lock: the feed applies and publishes a batch this way. */
    public synchronized void withLock(Runnable task) {
        task.run();
    }

    /** The source last seen on a channel's scores, or null. */
    public synchronized String sourceOf(String channelId) {
        ChannelState channel = channels.get(channelId);
        return channel == null || channel.source().isEmpty() ? null : channel.source();
    }

    /** Runs {@code read} and takes {@code position} under the same lock as the feed's updates. */
    public synchronized <T> Snapshot<T> snapshot(java.util.function.Function<Views, T> read, Supplier<Position> position) {
        return new Snapshot<>(read.apply(this), position.get());
    }

    /** Channels sorted by id, only those in {@code only} when it is not empty, at most {@code limit}. */
    public synchronized List<ChannelSummary> channels(Set<String> only, int limit) {
        List<ChannelSummary> list = new ArrayList<>();
        for (ChannelState state : channels.values()) {
            ChannelSummary summary = state.summary();
            if (only.isEmpty() || only.contains(summary.channelId())) {
                list.add(summary);
            }
        }
        list.sort(Comparator.comparing(ChannelSummary::channelId));
        return list.size() > limit ? List.copyOf(list.subList(0, limit)) : list;
    }

    /** Nodes sorted by id, each with its latest heartbeat read. */
    public synchronized List<NodeSummary> nodes(int limit) {
        List<NodeSummary> list = new ArrayList<>(nodes.size());
        for (NodeSummary n : nodes.values()) {
            list.add(n.seenAt(lastSeen.get(n.nodeId())));
        }
        list.sort(Comparator.comparing(NodeSummary::nodeId));
        return list.size() > limit ? List.copyOf(list.subList(0, limit)) : list;
    }

    /**
     * A heartbeat of {@code nodeId} sent at {@code time}; the latest by its time is kept (a late,
     * older one changes nothing), for at most {@code maxKeys} nodes.
     */
    public synchronized void heartbeat(String nodeId, long time) {
        Long before = lastSeen.get(nodeId);
        if (before == null && lastSeen.size() >= settings.maxKeys()) {
            untracked++;
            return;
        }
        if (before == null || time > before) {
            lastSeen.put(nodeId, time);
        }
    }

    /** A channel's newest {@code limit} scores for its chart, oldest first; null for a channel not seen. */
    public synchronized ChartHistory chart(String channelId, int limit) {
        ChannelState channel = channels.get(channelId);
        return channel == null ? null : channel.chart(limit);
    }

    public synchronized List<SegmentSummary> anomalies(String channel, int limit) {
        return anomalies.recent(channel, limit);
    }

    public synchronized List<SegmentSummary> labels(String channel, int limit) {
        return labels.recent(channel, limit);
    }

    /** Channels and nodes not tracked because {@code maxKeys} was reached. */
    public synchronized long untracked() {
        return untracked;
    }

    private ChannelState channel(String id) {
        ChannelState state = channels.get(id);
        if (state == null) {
            if (channels.size() >= settings.maxKeys()) {
                untracked++;
                return null;
            }
            boolean chart = settings.chartPoints() > 0 && charted < settings.chartChannels();
            charted += chart ? 1 : 0;
            state = new ChannelState(id, chart ? new ScoreHistory(settings.chartPoints()) : null);
            channels.put(id, state);
        }
        return state;
    }

    private void node(NodeStatus status, long recordTime) {
        NodeSummary before = nodes.get(status.getNodeId());
        if (before == null && nodes.size() >= settings.maxKeys()) {
            untracked++;
            return;
        }
        // The latest record is the node's status (offset order, as compaction keeps it), even if its
        // changedAt is earlier: a replay in stream-time mode starts its clock over.
        nodes.put(status.getNodeId(), NodeSummary.of(status, recordTime));
    }
}
