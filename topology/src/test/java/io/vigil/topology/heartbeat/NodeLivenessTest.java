package io.vigil.topology.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLivenessTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private final String scope = "liveness-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> heartbeats;
    private TestOutputTopic<String, NodeStatus> statuses;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private Serializer<Heartbeat> serializer;

    private void start(String timeMode, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "vigil.schema.registry.url", "mock://" + scope,
                "vigil.state.dir", stateDir.toString(),
                "vigil.liveness.time.mode", timeMode,
                "vigil.liveness.check.interval.ms", "1000"));
        settings.putAll(extra);
        TopologyConfig config = TopologyConfig.from(Settings.of(settings));
        driver = new TopologyTestDriver(VigilTopology.build(config, meters), config.streamsProperties(), T0);
        heartbeats = driver.createInputTopic(Topics.HEARTBEATS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        statuses = driver.createOutputTopic(Topics.NODE_STATUS.name(), new StringDeserializer(),
                AvroSerde.configured(NodeStatus.class, config.serdeConfig(), false).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), new ByteArrayDeserializer(),
                AvroSerde.configured(DeadLetter.class, config.serdeConfig(), false).deserializer());
        serializer = AvroSerde.configured(Heartbeat.class, config.serdeConfig(), false).serializer();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        MockSchemaRegistry.dropScope(scope);
    }

    /** A heartbeat of {@code node} sent {@code seconds} after T0, with its record timestamp set to that time. */
    private void beat(String node, double seconds, NodeState state) {
        Instant time = T0.plusMillis(Math.round(seconds * 1000));
        Heartbeat hb = Heartbeat.newBuilder().setNodeId(node).setTime(time).setState(state).setTarget(null).build();
        heartbeats.pipeInput(node.getBytes(StandardCharsets.UTF_8), serializer.serialize(Topics.HEARTBEATS.name(), hb), time);
    }

    private void beat(String node, double seconds) {
        beat(node, seconds, NodeState.ONLINE);
    }

    /** Another node beating every second moves stream time forward to {@code untilSeconds}. */
    private void clockNode(double fromSeconds, double untilSeconds) {
        for (double t = fromSeconds; t <= untilSeconds; t += 1) {
            beat("clock", t);
        }
    }

    /** The node's status records written since the last read (records of every node are read). */
    private List<NodeStatus> statusesOf(String node) {
        return statuses.readValuesToList().stream().filter(s -> s.getNodeId().equals(node)).toList();
    }

    /** The same without its ALIVE records: the FAULTED and RECOVERED transitions alone. */
    private List<NodeStatus> faultsAndRecoveriesOf(String node) {
        return statusesOf(node).stream().filter(s -> s.getStatus() != NodeLiveness.ALIVE).toList();
    }

    /** Every node's FAULTED and RECOVERED records written since the last read. */
    private List<NodeStatus> faultsAndRecoveries() {
        return statuses.readValuesToList().stream().filter(s -> s.getStatus() != NodeLiveness.ALIVE).toList();
    }

    private NodeRecord stored(String node) {
        KeyValueStore<String, NodeRecord> store = driver.getKeyValueStore(VigilTopology.NODE_STORE);
        return store.get(node);
    }

    @Test
    void aNodeIsAliveFromItsFirstHeartbeatAndAgainEachTimeItsReportedStateChanges() {
        start("stream-time", Map.of());
        beat("a", 0);
        List<NodeStatus> first = statusesOf("a");
        assertEquals(1, first.size(), "visible from its first heartbeat: " + first);
        assertEquals(NodeLiveness.ALIVE, first.get(0).getStatus());
        assertEquals(NodeState.ONLINE, first.get(0).getLastState());
        assertEquals(T0, first.get(0).getChangedAt());
        assertEquals(T0, first.get(0).getLastHeartbeat());
        assertEquals(30_000L, first.get(0).getExpectedIntervalMs(), "the default until a gap is seen");

        beat("a", 10);
        assertEquals(List.of(), statusesOf("a"), "the same state again is no change");
        beat("a", 20, NodeState.BUSY);
        beat("a", 30, NodeState.BUSY);
        beat("a", 40, NodeState.PARKED);
        beat("a", 50, NodeState.ONLINE);
        List<NodeStatus> changes = statusesOf("a");
        assertEquals(List.of(NodeState.BUSY, NodeState.PARKED, NodeState.ONLINE),
                changes.stream().map(NodeStatus::getLastState).toList());
        assertTrue(changes.stream().allMatch(c -> c.getStatus() == NodeLiveness.ALIVE), changes::toString);
        assertEquals(List.of(T0.plusSeconds(20), T0.plusSeconds(40), T0.plusSeconds(50)),
                changes.stream().map(NodeStatus::getChangedAt).toList(), "dated at the heartbeat that changed it");
        assertEquals(4.0, meters.get("vigil.node.transitions").tag("status", "alive").counter().count());
    }

    @Test
    void aNodeThatComesBackInAnotherStateRecoversInOneRecord() {
        start("stream-time", Map.of());
        beat("a", 0);
        beat("a", 10);
        clockNode(11, 100);
        assertEquals(List.of(NodeLiveness.ALIVE, NodeLiveness.FAULTED),
                statusesOf("a").stream().map(NodeStatus::getStatus).toList());
        beat("a", 101, NodeState.BUSY);
        List<NodeStatus> back = statusesOf("a");
        assertEquals(1, back.size(), "RECOVERED carries the new state; no ALIVE besides it: " + back);
        assertEquals(NodeLiveness.RECOVERED, back.get(0).getStatus());
        assertEquals(NodeState.BUSY, back.get(0).getLastState());
        beat("a", 111, NodeState.ONLINE);
        assertEquals(List.of(NodeLiveness.ALIVE), statusesOf("a").stream().map(NodeStatus::getStatus).toList(),
                "a recovered node's next change of state is an ordinary one");
    }

    @Test
    void learnsEachNodesIntervalFromItsOwnHeartbeats() {
        start("stream-time", Map.of());
        beat("a", 0);
        assertEquals(30_000.0, stored("a").intervalMs(), "default until a gap is seen");
        beat("a", 10);
        assertEquals(10_000.0, stored("a").intervalMs(), "the first gap replaces the default");
        beat("a", 22);
        // EWMA with rate 0.2: 10,000 + 0.2 * (12,000 - 10,000)
        assertEquals(10_400.0, stored("a").intervalMs(), 1e-9);
        beat("a", 100);
        assertEquals(10_400.0, stored("a").intervalMs(), 1e-9, "a gap of missed beats is not cadence");
    }

    @Test
    void threeMissedHeartbeatsFaultANodeExactlyOnceAndAHeartbeatRecoversIt() {
        start("stream-time", Map.of());
        for (int t = 0; t <= 40; t += 10) {
            beat("a", t);
        }
        // Deadline: last beat 40 s + (3 missed + 0.5 grace) x 10 s = 75 s.
        clockNode(41, 74);
        assertTrue(faultsAndRecoveriesOf("a").isEmpty(), "not faulted before 3.5 intervals of silence");
        clockNode(75, 200);
        List<NodeStatus> changes = faultsAndRecoveriesOf("a");
        assertEquals(1, changes.size(), "one record per transition, not per check: " + changes);
        NodeStatus faulted = changes.get(0);
        assertEquals(NodeLiveness.FAULTED, faulted.getStatus());
        assertEquals(T0.plusSeconds(75), faulted.getChangedAt());
        assertEquals(T0.plusSeconds(40), faulted.getLastHeartbeat());
        assertEquals(10_000L, faulted.getExpectedIntervalMs());
        assertEquals(NodeState.ONLINE, faulted.getLastState());

        beat("a", 201);
        beat("a", 211);
        List<NodeStatus> back = faultsAndRecoveriesOf("a");
        assertEquals(1, back.size());
        assertEquals(NodeLiveness.RECOVERED, back.get(0).getStatus());
        assertEquals(T0.plusSeconds(201), back.get(0).getChangedAt());
        assertEquals(10_000.0, stored("a").intervalMs(), 1e-9, "the silence was not learned as cadence");
    }

    @Test
    void aFaultIsDatedAtTheDeadlineEvenWhenStreamTimeJumpsPastIt() {
        start("stream-time", Map.of());
        beat("a", 0);
        beat("a", 10);
        beat("clock", 500);
        List<NodeStatus> changes = faultsAndRecoveriesOf("a");
        assertEquals(1, changes.size());
        assertEquals(T0.plusSeconds(45), changes.get(0).getChangedAt(), "10 s + 3.5 x 10 s, not the check at 500 s");
    }

    @Test
    void parkedNodesAreNotFaultedForSilence() {
        start("stream-time", Map.of());
        beat("p", 0);
        beat("p", 10, NodeState.PARKED);
        clockNode(11, 500);
        assertTrue(faultsAndRecoveriesOf("p").isEmpty());
        beat("p", 501, NodeState.BUSY);
        clockNode(502, 600);
        List<NodeStatus> changes = faultsAndRecoveriesOf("p");
        assertEquals(1, changes.size(), "unparked and silent again: faulted");
        assertEquals(NodeLiveness.FAULTED, changes.get(0).getStatus());
        assertEquals(NodeState.BUSY, changes.get(0).getLastState());
    }

    @Test
    void lateAndDuplicateHeartbeatsChangeNothing() {
        start("stream-time", Map.of());
        beat("a", 0);
        beat("a", 10);
        beat("a", 20);
        beat("a", 15);
        beat("a", 20);
        assertEquals(20_000L, stored("a").lastHeartbeat() - T0.toEpochMilli());
        assertEquals(3, stored("a").beats());
        assertEquals(1.0, meters.get("vigil.heartbeats.ignored").tag("reason", "late").counter().count());
        assertEquals(1.0, meters.get("vigil.heartbeats.ignored").tag("reason", "duplicate").counter().count());
        clockNode(21, 60);
        List<NodeStatus> changes = faultsAndRecoveriesOf("a");
        assertEquals(1, changes.size());
        assertEquals(T0.plusSeconds(55), changes.get(0).getChangedAt(), "deadline from the newest beat: 20 + 35 s");
    }

    @Test
    void inStreamTimeASilentStreamFaultsNobodyButWallClockModeDoes() {
        start("stream-time", Map.of());
        beat("a", 0);
        beat("a", 10);
        driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertTrue(faultsAndRecoveries().isEmpty(), "stream time stands still when every heartbeat stops");
        driver.close();
        driver = null;
        MockSchemaRegistry.dropScope(scope);

        start("wall-clock", Map.of());
        beat("a", 0);
        beat("a", 10);
        // Wall clock mode: seen at the driver's wall clock (T0), interval 10 s -> faulted 35 s later.
        driver.advanceWallClockTime(Duration.ofSeconds(34));
        assertTrue(faultsAndRecoveries().isEmpty());
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<NodeStatus> changes = faultsAndRecoveriesOf("a");
        assertEquals(1, changes.size());
        assertEquals(NodeLiveness.FAULTED, changes.get(0).getStatus());
        driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertTrue(faultsAndRecoveries().isEmpty(), "no repeat while it stays silent");
    }

    @Test
    void theLearnedIntervalNeverDropsBelowTheFloor() {
        start("stream-time", Map.of("vigil.liveness.floor.interval.ms", "5000"));
        beat("fast", 0);
        beat("fast", 0.01);
        assertEquals(5_000.0, stored("fast").intervalMs());
        clockNode(1, 17);
        assertTrue(faultsAndRecoveriesOf("fast").isEmpty(), "3.5 x the 5 s floor has not passed");
        clockNode(18, 19);
        assertEquals(1, faultsAndRecoveriesOf("fast").size());
    }

    @Test
    void undecodableHeartbeatsAreDeadLettered() {
        start("stream-time", Map.of());
        heartbeats.pipeInput("x".getBytes(StandardCharsets.UTF_8), new byte[] {9, 9, 9}, T0);
        beat("a", 1);
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertEquals(1, letters.size());
        assertEquals(DeadLetterReason.MALFORMED, letters.get(0).getReason());
        assertEquals(Topics.HEARTBEATS.name(), letters.get(0).getOriginTopic());
        assertEquals(1, stored("a").beats());
    }

    @Test
    void aHeartbeatDatedFarAheadIsRefusedAndFaultsNoNodeOfItsPartition() {
        start("stream-time", Map.of());
        beat("a", 0);
        beat("a", 10);
        beat("a", 20);
        // Fifty years ahead: refused for its time, though its record timestamp still moves stream time.
        beat("b", 50.0 * 365 * 86_400);
        beat("a", 50.0 * 365 * 86_400);
        beat("a", 30);
        beat("a", 40);

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertEquals(List.of(DeadLetterReason.TIME_AHEAD, DeadLetterReason.TIME_AHEAD),
                letters.stream().map(DeadLetter::getReason).toList());
        assertEquals(List.of(), faultsAndRecoveriesOf("a"), "silence is judged on accepted heartbeats only");
        assertEquals(null, stored("b"));
        assertEquals(5, stored("a").beats());
        assertEquals(T0.plusSeconds(40).toEpochMilli(), stored("a").lastHeartbeat(), "a keeps its own time");
    }

    @Test
    void aHeartbeatBeforeTheEpochIsTooOld() {
        start("wall-clock", Map.of());
        Heartbeat hb = Heartbeat.newBuilder().setNodeId("a").setTime(Instant.ofEpochMilli(Long.MIN_VALUE))
                .setState(NodeState.ONLINE).setTarget(null).build();
        heartbeats.pipeInput("a".getBytes(StandardCharsets.UTF_8), serializer.serialize(Topics.HEARTBEATS.name(), hb), T0);
        assertEquals(DeadLetterReason.TIME_TOO_OLD, deadLetters.readValuesToList().get(0).getReason());
        assertEquals(null, stored("a"));
    }

    @Test
    void aStateThisScorerDoesNotKnowIsStillASignOfLifeAndNotAParking() {
        // A newer producer's state reads as UNKNOWN here: refusing it would make a live node look silent.
        start("stream-time", Map.of());
        beat("u", 0, NodeState.UNKNOWN);
        beat("u", 10, NodeState.UNKNOWN);
        clockNode(11, 100);
        List<NodeStatus> changes = faultsAndRecoveriesOf("u");
        assertEquals(1, changes.size());
        assertEquals(NodeLiveness.FAULTED, changes.get(0).getStatus());
        beat("u", 101, NodeState.UNKNOWN);
        assertEquals(NodeLiveness.RECOVERED, faultsAndRecoveriesOf("u").get(0).getStatus());
        assertTrue(deadLetters.readValuesToList().isEmpty());
    }
}
