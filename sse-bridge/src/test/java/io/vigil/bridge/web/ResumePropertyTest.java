package io.vigil.bridge.web;

import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resumes from positions a client chose, through the real handler, resumer and hub: behind, at and
 * ahead of the bridge, with more or fewer partitions than it reads. A position that lies beyond what
 * the bridge has read is never taken as "nothing missed" (that would hold back every event below it
 * unannounced: it goes to Kafka, which can tell a recreated topic); any other is resumed from memory
 * and gets the next event it wants, with ids that list the bridge's partitions, not the client's.
 */
class ResumePropertyTest {

    /** Offsets relative to the bridge's, except this one: an offset from another incarnation. */
    private static final long FAR_AHEAD = Long.MIN_VALUE;

    private static TestServer t;

    @BeforeContainer
    static void start() {
        t = new TestServer(new HubSettings(100, 5000, Duration.ofMillis(1), Duration.ofSeconds(60), 100_000),
                WebSettings.local(0));
        t.publish(t.events.score(0, "A", "{}"), t.events.score(1, "B", "{}"));
    }

    @AfterContainer
    static void stop() {
        t.close();
    }

    @Property(tries = 1000)
    void aClientsPositionIsTrustedOnlyAsFarAsItAgreesWithTheBridge(
            @ForAll("offsetPlans") long[][] plan, @ForAll("typeSets") Set<EventType> wanted) throws Exception {
        Position frontier = t.hub.frontier();
        Position from = fromPlan(plan, frontier);
        String query = wanted.stream().map(EventType::eventName).collect(Collectors.joining(","));
        String id = PositionCodec.encode(from);
        try (RawHttp.Stream stream = RawHttp.stream(t.server.port(), "/events?type=" + query,
                List.<byte[][]>of(new byte[][] {RawHttp.latin1("Last-Event-ID"), RawHttp.latin1(id)}))) {
            assertEquals(200, stream.status);
            String how = resumedHow(stream);
            if (!from.atOrBefore(frontier, wanted)) {
                assertEquals("kafka", how, "beyond what the bridge has read: only Kafka can tell whether it is stale");
                return;
            }
            if (how.equals("kafka")) {
                return; // from before memory: that is what Kafka is for
            }
            EventType type = wanted.iterator().next();
            t.publish(t.events.next(type, 0, "A", "test", "{\"resumed\":true}"));
            // First the events it missed, from memory, then this one; every id within the bridge's partitions.
            RawHttp.Stream.Event event;
            do {
                event = nextEvent(stream, type.eventName());
                Position sent = PositionCodec.decode(event.id());
                for (EventType each : EventType.values()) {
                    assertTrue(sent.partitions(each) <= t.hub.frontier().partitions(each),
                            "its ids list the bridge's partitions: " + sent);
                }
            } while (!event.data().equals("{\"resumed\":true}"));
        } finally {
            t.kafkaResumes.clear();
            t.hub.tick();
        }
    }

    /** "none" or "memory" (its resume event), or "kafka" (handed to a catch-up reader). */
    private static String resumedHow(RawHttp.Stream stream) throws Exception {
        while (true) {
            Object next = stream.next();
            if ("resuming from Kafka".equals(next)) {
                return "kafka";
            }
            if (next instanceof RawHttp.Stream.Event event && event.event().equals("resume")) {
                return event.data().contains("\"via\":\"none\"") ? "none" : "memory";
            }
            assertFalse(next instanceof RawHttp.Stream.Event e && !e.event().equals("resume"),
                    "an event before the resume notice: " + next);
        }
    }

    private static RawHttp.Stream.Event nextEvent(RawHttp.Stream stream, String name) throws Exception {
        while (true) {
            if (stream.next() instanceof RawHttp.Stream.Event event && event.event().equals(name)) {
                return event;
            }
        }
    }

    /** Per type, partitions at the bridge's offset plus a small delta, or {@link #FAR_AHEAD}. */
    private static Position fromPlan(long[][] plan, Position frontier) {
        long[][] offsets = new long[plan.length][];
        for (int t = 0; t < plan.length; t++) {
            EventType type = EventType.of(t);
            offsets[t] = new long[plan[t].length];
            for (int p = 0; p < plan[t].length; p++) {
                long delta = plan[t][p];
                offsets[t][p] = delta == FAR_AHEAD ? 2_400_117 + p : Math.max(0, frontier.next(type, p) + delta);
            }
        }
        return Position.of(offsets);
    }

    @Provide
    static Arbitrary<long[][]> offsetPlans() {
        Arbitrary<Long> delta = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(-3, 3)),
                Tuple.of(1, Arbitraries.just(FAR_AHEAD)));
        Arbitrary<long[]> row = Arbitraries.frequencyOf(Tuple.of(8, delta.array(long[].class).ofMaxSize(3)),
                Tuple.of(1, delta.array(long[].class).ofMinSize(3).ofMaxSize(400)));
        return row.array(long[][].class).ofSize(EventType.count());
    }

    @Provide
    static Arbitrary<Set<EventType>> typeSets() {
        return Arbitraries.subsetOf(List.of(EventType.values())).ofMinSize(1)
                .map(types -> Set.copyOf(EnumSet.copyOf(types)));
    }
}
