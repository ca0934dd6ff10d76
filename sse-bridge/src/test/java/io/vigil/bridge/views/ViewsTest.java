package io.vigil.bridge.views;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Position;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ViewsTest {

    private final Views views = new Views(new ViewSettings(3, 2, 4, 2));

    @Test
    void channelsKeepTheirLastScoreStatusCountsAndSparkline() {
        for (int i = 0; i < ChannelStateSpark.SIZE + 5; i++) {
            views.apply(EventType.SCORE, score("P-1", i, i, 0.5, false), 100 + i);
        }
        ChannelSummary p1 = views.channels(Set.of(), 10).get(0);
        assertEquals("NORMAL", p1.status());
        assertEquals(ChannelStateSpark.SIZE, p1.spark().size());
        assertEquals(5.0, p1.spark().get(0), "oldest kept first");
        assertEquals("LSTM", p1.detector());
        assertEquals(7, p1.modelVersion());

        views.apply(EventType.ANOMALY, anomaly("P-1", 50, AnomalyStatus.OPEN), 1);
        assertEquals("smap", views.apply(EventType.ANOMALY, anomaly("P-1", 50, AnomalyStatus.CLOSED), 2),
                "anomalies are routed by their channel's source");
        views.apply(EventType.ANOMALY, anomaly("P-1", 90, AnomalyStatus.OPEN), 3);
        views.apply(EventType.LABEL, LabelSegment.newBuilder().setChannelId("P-1").setStart(Instant.ofEpochMilli(1))
                .setEnd(Instant.ofEpochMilli(2)).setSource("nab").setKind("spike").build(), 4);
        p1 = views.channels(Set.of("P-1"), 10).get(0);
        assertEquals("ANOMALY", p1.status());
        assertEquals(90, p1.openAnomaly().start());
        assertEquals(2, p1.anomalyCount(), "OPEN and CLOSED of one segment count once");
        assertEquals(1, p1.labelCount());

        List<SegmentSummary> recent = views.anomalies(null, 10);
        assertEquals(2, recent.size(), "the log keeps 2 segments, the CLOSED replacing its OPEN");
        assertEquals(90, recent.get(0).start());
        assertEquals("CLOSED", recent.get(1).status());
        assertEquals(1, views.labels("P-1", 10).size());
        assertEquals(0, views.labels("P-2", 10).size());
    }

    @Test
    void aClosedSegmentWhoseOpenFellBeforeTheLookBackIsCountedOnce() {
        views.apply(EventType.ANOMALY, anomaly("A", 10, AnomalyStatus.CLOSED), 1);
        ChannelSummary a = views.channels(Set.of(), 10).get(0);
        assertEquals(1, a.anomalyCount());
        assertEquals("UNKNOWN", a.status());
        assertNull(a.openAnomaly());
    }

    @Test
    void warmingUpNodesAndTheKeyLimit() {
        views.apply(EventType.SCORE, score("A", 1, 1, Double.NaN, false), 1);
        views.apply(EventType.SCORE, score("B", 1, 1, 0.5, true), 1);
        views.apply(EventType.SCORE, score("C", 1, 1, 0.5, false), 1);
        views.apply(EventType.SCORE, score("D", 1, 1, 0.5, false), 1);
        List<ChannelSummary> channels = views.channels(Set.of(), 10);
        assertEquals(List.of("A", "B", "C"), channels.stream().map(ChannelSummary::channelId).toList());
        assertEquals("WARMING_UP", channels.get(0).status());
        assertEquals("ANOMALY", channels.get(1).status());
        assertEquals(1, views.untracked());

        views.apply(EventType.NODE, node("n-1", NodeLiveness.FAULTED, NodeState.BUSY, 50), 1);
        views.apply(EventType.NODE, node("n-1", NodeLiveness.RECOVERED, NodeState.PARKED, 40), 2);
        NodeSummary n1 = views.nodes(10).get(0);
        assertEquals("PARKED", n1.state(), "the latest record wins, whatever its time says");
        assertEquals("RECOVERED", n1.liveness());

        Views.Snapshot<Integer> snapshot = views.snapshot(v -> v.nodes(10).size(), () -> Position.EMPTY);
        assertEquals(1, snapshot.value());
        assertEquals(Position.EMPTY, snapshot.position());
    }

    @Test
    void aNodeShowsItsLatestHeartbeatByTimeAndNoMoreNodesThanTheBoundAreWatched() {
        views.apply(EventType.NODE, node("n1", NodeLiveness.ALIVE, NodeState.ONLINE, 1000), 1);
        assertEquals(null, views.nodes(10).get(0).lastSeen(), "no heartbeat read yet");
        views.heartbeat("n1", 5000);
        views.heartbeat("n1", 4000); // late, and older: changes nothing
        assertEquals(5000L, views.nodes(10).get(0).lastSeen());
        views.apply(EventType.NODE, node("n1", NodeLiveness.FAULTED, NodeState.ONLINE, 9000), 2);
        assertEquals(5000L, views.nodes(10).get(0).lastSeen(), "a status change keeps what was seen");

        long before = views.untracked();
        for (int i = 2; i <= 4; i++) {
            views.heartbeat("n" + i, 1);
        }
        assertEquals(before + 1, views.untracked(), "a fourth node's heartbeats are over the bound of 3");
    }

    static ChannelScore score(String channel, long time, double value, double threshold, boolean anomalous) {
        return ChannelScore.newBuilder().setChannelId(channel).setSource("smap").setEventTime(Instant.ofEpochMilli(time))
                .setValue(value).setForecast(value).setError(0).setSmoothedError(0).setThreshold(threshold)
                .setAnomalous(anomalous).setDetector(Detector.LSTM).setModelVersion(7).build();
    }

    static AnomalyEvent anomaly(String channel, long start, AnomalyStatus status) {
        return AnomalyEvent.newBuilder().setChannelId(channel).setStart(Instant.ofEpochMilli(start))
                .setEnd(status == AnomalyStatus.CLOSED ? Instant.ofEpochMilli(start + 5) : null).setStatus(status)
                .setSeverity(1.5).setDetector(Detector.BASELINE).build();
    }

    static NodeStatus node(String id, NodeLiveness liveness, NodeState state, long changedAt) {
        return NodeStatus.newBuilder().setNodeId(id).setStatus(liveness).setChangedAt(Instant.ofEpochMilli(changedAt))
                .setLastHeartbeat(Instant.ofEpochMilli(changedAt - 1)).setLastState(state).setExpectedIntervalMs(1000)
                .build();
    }

    /** The sparkline length, visible to this test. */
    static final class ChannelStateSpark {
        static final int SIZE = ChannelState.SPARK;
    }
}
