package io.vigil.replay.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.NodeState;
import io.vigil.replay.event.RecordingSink;
import io.vigil.replay.event.RecordingSink.Beat;
import io.vigil.replay.event.RecordingSink.Label;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TelescopeSimulationTest {

    private static final long START = 1_704_067_200_000L;
    private static final long END = START + 12 * 3_600_000L;
    private static RecordingSink sink;

    @BeforeAll
    static void simulate() {
        SimulationConfig config = SimulationConfig.of(FleetKind.TELESCOPES, 30, 3, START).withAnomalies(0.5)
                .withDropouts(DropoutMix.parse("flap=1,park=1,die=1")).withEnd(END);
        sink = RecordingSink.drainUntil(Fleet.of(config), END);
    }

    private static String node(Label l) {
        return l.channel().split("/")[1];
    }

    private static List<Label> labels(String kind) {
        List<Label> labels = sink.labels().stream().filter(l -> l.kind().equals(kind)).toList();
        assertTrue(labels.size() >= 3, "expected several " + kind + " dropouts, got " + labels.size());
        labels.forEach(l -> assertTrue(l.channel().matches("node/tel-\\d{3}/heartbeat"), l.channel()));
        return labels;
    }

    private static boolean within(long t, Label l) {
        return t >= l.start() && t <= l.end();
    }

    @Test
    void heartbeatsStopDuringAFlapAndResumeAfterIt() {
        for (Label flap : labels("flap")) {
            List<Beat> beats = sink.beats(node(flap));
            assertTrue(beats.stream().noneMatch(b -> within(b.time(), flap)), "no heartbeat inside " + flap);
            Beat before = beats.stream().filter(b -> b.time() < flap.start()).reduce((a, b) -> b).orElseThrow();
            if (flap.end() + 40_000 < END) {
                Beat after = beats.stream().filter(b -> b.time() > flap.end()).findFirst().orElseThrow();
                long gap = after.time() - before.time();
                assertTrue(gap > 4 * 13_500, "at least four beats were missed: " + gap + " ms");
                assertTrue(after.time() - flap.end() <= 33_000, "back one interval after the last missed beat");
            }
            assertEquals(flap.start(), flap.publishedAt());
            assertTrue(sink.events.indexOf(flap) > sink.events.indexOf(before));
        }
    }

    @Test
    void aParkedNodeSaysSoThenIsSilentThenComesBackOnline() {
        for (Label park : labels("park")) {
            List<Beat> beats = sink.beats(node(park));
            assertTrue(beats.stream().noneMatch(b -> within(b.time(), park)));
            Beat before = beats.stream().filter(b -> b.time() < park.start()).reduce((a, b) -> b).orElseThrow();
            assertEquals(NodeState.PARKED, before.state());
            assertEquals(before.time(), park.publishedAt(), "published with the PARKED heartbeat");
            beats.stream().filter(b -> b.time() > park.end()).findFirst()
                    .ifPresent(after -> assertEquals(NodeState.ONLINE, after.state()));
        }
    }

    @Test
    void aDeadNodeSendsNothingMoreAndItsLabelLastsUntilTheEndOfTheRun() {
        for (Label death : labels("die")) {
            assertEquals(END, death.end());
            assertTrue(sink.beats(node(death)).stream().allMatch(b -> b.time() < death.start()));
            String prefix = "node/" + node(death) + "/";
            assertTrue(sink.points().stream().filter(p -> p.channel().startsWith(prefix)).allMatch(p -> p.time() < death.start()));
        }
    }

    @Test
    void housekeepingIsSilentWhenHeartbeatsAre() {
        Map<String, List<Label>> byNode = sink.labels().stream().collect(Collectors.groupingBy(TelescopeSimulationTest::node));
        sink.points().forEach(p -> {
            List<Label> silences = byNode.getOrDefault(p.channel().split("/")[1], List.of());
            assertTrue(silences.stream().noneMatch(l -> within(p.time(), l)), p.toString());
        });
    }

    @Test
    void nodesBeatEvery15To30SecondsWithJitterAndReportTheirTarget() {
        for (String node : sink.nodes) {
            List<Beat> beats = sink.beats(node);
            List<Label> silences = sink.labels().stream().filter(l -> node(l).equals(node)).toList();
            for (int i = 1; i < beats.size(); i++) {
                long t0 = beats.get(i - 1).time();
                long t1 = beats.get(i).time();
                if (silences.stream().anyMatch(l -> l.start() > t0 && l.start() < t1)) {
                    continue;
                }
                long gap = t1 - t0;
                assertTrue(gap >= 13_500 && gap <= 33_000, node + " beat gap " + gap);
            }
            for (Beat b : beats) {
                if (b.state() == NodeState.BUSY) {
                    assertNotNull(b.target());
                } else {
                    assertNull(b.target());
                }
            }
        }
        assertTrue(sink.events.stream().anyMatch(e -> e instanceof Beat b && b.state() == NodeState.BUSY));
    }
}
