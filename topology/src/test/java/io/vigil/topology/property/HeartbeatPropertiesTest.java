package io.vigil.topology.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.DeadLetter;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.schemas.Topics;
import io.vigil.topology.property.Harness.Escape;
import io.vigil.topology.property.Specs.BeatSpec;
import io.vigil.topology.property.Specs.Encoded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Heartbeats through the real topology, in both time modes: every heartbeat is absorbed into node
 * state, ignored as late or duplicate (counted), or one dead letter; nothing reaches the driver; and
 * random heartbeats of other nodes change nothing for a well-behaved node.
 */
class HeartbeatPropertiesTest {

    static final String[] MODES = {"wall-clock", "stream-time"};

    /** A heartbeats record (with its record timestamp, null for the one a producer sets: its time), or a wall-clock step. */
    sealed interface Step permits Beat, Advance {}

    record Beat(BeatSpec beat, Long timestamp) implements Step {
        @Override
        public String toString() {
            return beat + (timestamp == null ? "" : " recordTimestamp=" + timestamp
                    + (timestamp == Long.MAX_VALUE ? "(MAX)" : ""));
        }
    }

    record Advance(long ms) implements Step {
        @Override
        public String toString() {
            return "advance wall clock " + ms + " ms";
        }
    }

    static Arbitrary<Long> recordTimestamps() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just((Long) null)),
                Tuple.of(1, Arbitraries.of(Long.MAX_VALUE, Long.MAX_VALUE - 1000, 0L, Harness.WALL_CLOCK_START,
                        Harness.WALL_CLOCK_START + 365L * 86_400_000L)),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)));
    }

    static Arbitrary<Step> steps(Arbitrary<String> nodes) {
        Arbitrary<Step> beats = Combinators.combine(Generators.heartbeats(nodes), recordTimestamps()).as(Beat::new);
        Arbitrary<Step> advances = Arbitraries.oneOf(Arbitraries.of(1_000L, 10_000L, 60_000L, 3_600_000L),
                Arbitraries.longs().between(0, 200_000)).map(Advance::new);
        return Arbitraries.frequencyOf(Tuple.of(8, beats), Tuple.of(1, advances));
    }

    @Provide
    Arbitrary<List<Step>> heartbeatSteps() {
        return steps(Generators.nodeIds()).list().ofMinSize(1).ofMaxSize(60)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<String> modes() {
        return Arbitraries.of(MODES);
    }

    private static Map<String, String> settings(String mode) {
        return Map.of("liveness.time.mode", mode, "liveness.check.interval.ms", "1000");
    }

    /**
     * Property 5a: every heartbeat is absorbed (the nodes' beat counts), ignored as late or duplicate
     * (the counters) or dead-lettered (by origin offset, once); no exception or endless loop reaches
     * the driver.
     */
    @Property(tries = 100)
    void everyHeartbeatIsAbsorbedOrDeadLetteredAndNothingThrows(@ForAll("modes") String mode,
                                                               @ForAll("heartbeatSteps") List<Step> steps) {
        try (Harness h = new Harness(settings(mode))) {
            List<Escape> escaped = new ArrayList<>();
            int sent = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                if (step instanceof Beat b) {
                    Encoded e = Specs.encode(h, b.beat(), i, b.timestamp());
                    h.pipeHeartbeat(e.key(), e.value(), e.timestamp(), escaped);
                    sent++;
                } else {
                    h.advanceWallClock(((Advance) step).ms(), escaped);
                }
                if (!escaped.isEmpty()) {
                    Escape x = escaped.get(0);
                    Statistics.label("outcome").collect("exception " + x.error().getClass().getSimpleName());
                    assertTrue(false, () -> "mode " + mode + ": " + TelemetryPropertiesTest.report(List.of("step "
                            + steps.indexOf(step) + " " + step + ": exception reached the driver: "
                            + Harness.describe(x.error())), steps.subList(0, steps.indexOf(step) + 1)));
                }
            }
            List<String> problems = new ArrayList<>();
            Map<Long, Integer> letters = new HashMap<>();
            for (DeadLetter d : h.deadLettersOf(Topics.HEARTBEATS.name())) {
                letters.merge(d.getOriginOffset(), 1, Integer::sum);
                Statistics.label("outcome").collect("dead letter " + d.getReason());
            }
            letters.forEach((offset, n) -> {
                if (n > 1 || offset < 0 || offset >= steps.size()) {
                    problems.add(n + " dead letter(s) for heartbeat offset " + offset);
                }
            });
            long absorbed = h.absorbedHeartbeats();
            long late = Math.round(h.count("vigil.heartbeats.ignored", "reason", "late"));
            long duplicate = Math.round(h.count("vigil.heartbeats.ignored", "reason", "duplicate"));
            Statistics.label("absorbed per try").collect(absorbed == 0 ? "0" : absorbed < 10 ? "1-9" : "10+");
            if (absorbed + late + duplicate + letters.size() != sent) {
                problems.add(sent + " heartbeats sent, but " + absorbed + " absorbed + " + late + " late + " + duplicate
                        + " duplicate + " + letters.size() + " dead-lettered");
            }
            TelemetryPropertiesTest.collectProcessingErrors(h);
            assertTrue(problems.isEmpty(), () -> "mode " + mode + ": " + TelemetryPropertiesTest.report(problems, steps));
        }
    }

    // ------------------------------------------------------------------ isolation

    /** The well-behaved nodes: "steady" beats every 10 s; "flaky" too, but is silent from 50 s to 140 s. */
    static final int TICKS = 40;
    static final long TICK_MS = 5_000;

    static long tickTime(int k) {
        return Harness.WALL_CLOCK_START + TICK_MS * k;
    }

    private static List<String> beatsAt(int k) {
        List<String> nodes = new ArrayList<>();
        if (k % 2 == 0) {
            nodes.add("steady");
            if (k < 10 || k > 28) {
                nodes.add("flaky");
            }
        }
        return nodes;
    }

    private static final Map<String, List<String>> REFERENCE = new HashMap<>();

    private static synchronized List<String> reference(String mode) {
        return REFERENCE.computeIfAbsent(mode, m -> {
            try (Harness h = new Harness(settings(m))) {
                List<Escape> escaped = new ArrayList<>();
                for (int k = 0; k < TICKS; k++) {
                    tick(h, m, k, escaped);
                }
                assertTrue(escaped.isEmpty(), () -> "the well-behaved nodes alone: " + escaped);
                List<String> out = wellBehavedStatuses(h);
                assertEquals(List.of("steady ALIVE", "flaky ALIVE", "flaky FAULTED", "flaky RECOVERED"),
                        h.statuses().stream().filter(s -> s.getNodeId().equals("steady") || s.getNodeId().equals("flaky"))
                                .map(s -> s.getNodeId() + " " + s.getStatus()).toList(),
                        "both are alive from their first beat, flaky faults and recovers, steady never faults");
                return out;
            }
        });
    }

    /** Tick k: the wall clock (wall-clock mode) moves to the tick, then the tick's heartbeats, at the tick's time. */
    private static void tick(Harness h, String mode, int k, List<Escape> escaped) {
        if (mode.equals("wall-clock") && k > 0) {
            h.advanceWallClock(TICK_MS, escaped);
        }
        for (String node : beatsAt(k)) {
            Heartbeat beat = Heartbeat.newBuilder().setNodeId(node).setTime(Instant.ofEpochMilli(tickTime(k)))
                    .setState(NodeState.ONLINE).setTarget(null).build();
            h.pipeHeartbeat(Specs.utf8(node), h.heartbeatSerializer.serialize(Topics.HEARTBEATS.name(), beat),
                    tickTime(k), escaped);
        }
    }

    private static List<String> wellBehavedStatuses(Harness h) {
        return h.statuses().stream()
                .filter(s -> s.getNodeId().equals("steady") || s.getNodeId().equals("flaky"))
                .map(NodeStatus::toString)
                .toList();
    }

    @Provide
    Arbitrary<List<BeatSpec>> otherNodesBeats() {
        return Generators.heartbeats(Generators.nodeIds()).list().ofMinSize(1).ofMaxSize(60)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<List<Integer>> ticksOfNoise() {
        return Arbitraries.integers().between(0, TICKS - 1).list().ofSize(60);
    }

    /**
     * Property 5b: random heartbeats of other nodes, interleaved with the well-behaved nodes' and
     * carrying the current record timestamp (so stream time is the same as without them), leave the
     * well-behaved nodes' status records exactly as they are alone: flaky FAULTED at its deadline and
     * RECOVERED, steady never. An exception stops the feed (the thread would retry that record).
     */
    @Property(tries = 60)
    void otherNodesHeartbeatsChangeNothingForAWellBehavedNode(@ForAll("modes") String mode,
                                                              @ForAll("otherNodesBeats") List<BeatSpec> noise,
                                                              @ForAll("ticksOfNoise") List<Integer> ticks) {
        List<String> alone = reference(mode);
        try (Harness h = new Harness(settings(mode))) {
            List<Escape> escaped = new ArrayList<>();
            List<String> fed = new ArrayList<>();
            feed:
            for (int k = 0; k < TICKS; k++) {
                tick(h, mode, k, escaped);
                for (int i = 0; i < noise.size() && escaped.isEmpty(); i++) {
                    if (ticks.get(i % ticks.size()) != k) {
                        continue;
                    }
                    Encoded e = Specs.encode(h, noise.get(i), i, tickTime(k));
                    fed.add("tick " + k + ": " + noise.get(i));
                    h.pipeHeartbeat(e.key(), e.value(), e.timestamp(), escaped);
                }
                if (!escaped.isEmpty()) {
                    break feed;
                }
            }
            List<String> beside = wellBehavedStatuses(h);
            assertTrue(alone.equals(beside), () -> "mode " + mode + ": the well-behaved nodes' statuses differ\n"
                    + (escaped.isEmpty() ? "" : "the feed stopped at an exception: " + escaped.get(0) + "\n")
                    + "alone:  " + alone + "\nbeside: " + beside + "\nnoise fed: " + fed);
        }
    }

    // ------------------------------------------------------------------ recovery

    @Provide
    Arbitrary<List<Step>> pastOfN1() {
        Arbitrary<String> n1 = Arbitraries.just("n1");
        Arbitrary<Step> beats = Combinators.combine(Generators.heartbeats(n1), recordTimestamps()).as(Beat::new);
        return beats.list().ofMinSize(1).ofMaxSize(12).withSizeDistribution(RandomDistribution.uniform());
    }

    /**
     * Property 5c (wall-clock mode, live fleets): whatever heartbeats node n1 sent before, once it
     * beats normally an hour later (times at the wall clock, every 10 s) it is never left FAULTED
     * after one of its own heartbeats: each beat is absorbed, and a FAULTED node RECOVERS at it.
     * Assumes heartbeats timed more than an hour ahead of the wall clock are not trusted.
     */
    @Property(tries = 60)
    void aNodeThatBeatsNormallyAgainIsNotLeftFaulted(@ForAll("pastOfN1") List<Step> past) {
        try (Harness h = new Harness(settings("wall-clock"))) {
            List<Escape> escaped = new ArrayList<>();
            for (int i = 0; i < past.size() && escaped.isEmpty(); i++) {
                Beat b = (Beat) past.get(i);
                Encoded e = Specs.encode(h, b.beat(), i, b.timestamp());
                h.pipeHeartbeat(e.key(), e.value(), e.timestamp(), escaped);
            }
            long now = Harness.WALL_CLOCK_START + 3_600_000L;
            h.advanceWallClock(3_600_000L, escaped);
            List<String> problems = new ArrayList<>();
            for (int k = 0; k < 6 && escaped.isEmpty(); k++) {
                if (k > 0) {
                    h.advanceWallClock(10_000, escaped);
                    now += 10_000;
                }
                Heartbeat beat = Heartbeat.newBuilder().setNodeId("n1").setTime(Instant.ofEpochMilli(now))
                        .setState(NodeState.ONLINE).setTarget(null).build();
                h.pipeHeartbeat(Specs.utf8("n1"), h.heartbeatSerializer.serialize(Topics.HEARTBEATS.name(), beat), now,
                        escaped);
                List<NodeStatus> of = h.statuses().stream().filter(s -> s.getNodeId().equals("n1")).toList();
                NodeStatus last = of.isEmpty() ? null : of.get(of.size() - 1);
                if (last != null && last.getStatus() == NodeLiveness.FAULTED) {
                    problems.add("after its ordinary heartbeat " + k + " at " + Instant.ofEpochMilli(now)
                            + " n1 is still FAULTED: " + last + " (heartbeats ignored as late so far: "
                            + Math.round(h.count("vigil.heartbeats.ignored", "reason", "late")) + ")");
                    break;
                }
            }
            escaped.forEach(x -> problems.add("exception reached the driver: " + x));
            Statistics.label("n1 before the ordinary beats").collect(problems.isEmpty() ? "fine" : "stuck");
            assertTrue(problems.isEmpty(), () -> TelemetryPropertiesTest.report(problems, past));
        }
    }
}
