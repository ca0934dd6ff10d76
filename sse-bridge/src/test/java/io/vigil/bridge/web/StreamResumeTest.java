package io.vigil.bridge.web;

import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.testing.Await;
import io.vigil.bridge.testing.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.vigil.bridge.web.TestServer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resumes served from the hub's memory, and the hand-off to Kafka when memory does not reach back. */
class StreamResumeTest {

    @RegisterExtension
    final TestServers servers = new TestServers();
    private TestServer t;

    @Test
    void aReconnectingClientGetsExactlyTheMissedEventsOnceInOrderThenLiveOnes() throws Exception {
        t = servers.start(100);
        SseStream first = t.track(SseStream.open(t.http, t.uri("/events")));
        Await.until(WAIT, "told the frontier", () -> first.lastEventId() != null);
        assertEquals(PositionCodec.encode(t.position()), first.lastEventId(), "a fresh stream starts at the frontier");
        t.publish(t.events.score(0, "A", "{\"n\":1}"), t.events.score(1, "B", "{\"n\":2}"));
        assertEquals("{\"n\":1}", first.nextOf(WAIT, "score").data());
        assertEquals("{\"n\":2}", first.nextOf(WAIT, "score").data());
        String lastSeen = first.lastEventId();
        first.close();

        // Missed while away, across both partitions, with an undecodable record in between.
        t.publish(t.events.score(1, "B", "{\"n\":3}"));
        t.events.skip(EventType.SCORE, 0);
        t.publish(t.events.score(0, "A", "{\"n\":4}"), t.events.score(1, "B", "{\"n\":5}"));

        SseStream again = t.track(SseStream.open(t.http, t.uri("/events"), lastSeen, null));
        SseStream.Event resume = again.nextOf(WAIT, "resume", "score");
        List<String> got = new ArrayList<>();
        if (resume.event().equals("score")) {
            got.add(resume.data());
        }
        t.publish(t.events.score(0, "A", "{\"n\":6}"));
        while (got.size() < 4) {
            got.add(again.nextOf(WAIT, "score").data());
        }
        assertEquals(List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}", "{\"n\":6}"), got);
        assertTrue(again.drain(Duration.ofMillis(300)).stream().noneMatch(e -> e.event().equals("score")), "nothing twice");
        assertEquals(PositionCodec.encode(t.position()), again.lastEventId());
        assertTrue(t.kafkaResumes.isEmpty(), "memory reached back far enough");
    }

    @Test
    void anUpToDateClientResumesWithNothingReplayed() throws Exception {
        t = servers.start(100);
        t.publish(t.events.score(0, "A", "{\"n\":1}"));
        SseStream client = t.track(SseStream.open(t.http, t.uri("/events"), PositionCodec.encode(t.position()), null));
        assertEquals("{\"via\":\"none\",\"missed\":0}", client.nextOf(WAIT, "resume", "score").data());
        t.publish(t.events.score(0, "A", "{\"n\":2}"));
        assertEquals("{\"n\":2}", client.nextOf(WAIT, "score").data());
    }

    @Test
    void aFilteredClientIsToldTheFrontierSoItsResumePointStaysRecent() throws Exception {
        t = servers.start(100);
        SseStream onlyA = t.track(SseStream.open(t.http, t.uri("/events?channel=A&type=score")));
        Await.until(WAIT, "told the frontier", () -> onlyA.lastEventId() != null);
        t.publish(t.events.score(0, "A", "{\"n\":1}"), t.events.score(1, "B", "{\"n\":2}"));
        assertEquals("{\"n\":1}", onlyA.nextOf(WAIT, "score").data());
        assertTrue(onlyA.drain(Duration.ofMillis(200)).isEmpty(), "B filtered out");
        t.hub.tick();
        Await.until(WAIT, "a bare id with the frontier",
                () -> PositionCodec.encode(t.position()).equals(onlyA.lastEventId()));
    }

    @Test
    void aResumeFromBeforeMemoryGoesToKafkaAndMemoryTakesOverWhenItCatchesUp() throws Exception {
        t = servers.start(new HubSettings(100, 2, Duration.ofSeconds(15), Duration.ofSeconds(60), 10),
                WebSettings.local(0));
        String start = PositionCodec.encode(t.position());
        t.publish(t.events.score(0, "A", "{\"n\":1}"), t.events.score(0, "A", "{\"n\":2}"),
                t.events.score(0, "A", "{\"n\":3}"));

        SseStream client = t.track(SseStream.open(t.http, t.uri("/events"), start, null));
        var pending = t.kafkaResumes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(pending, "event 1 fell out of memory: a Kafka reader was asked for");
        // As a catch-up reader would: having read event 1, memory (events 2 and 3) takes over.
        var afterFirst = io.vigil.bridge.events.PositionCodec.decode(start)
                .with(EventType.SCORE, 0, 1);
        pending.offer(io.vigil.bridge.events.Frame.event("score", PositionCodec.encode(afterFirst), "{\"n\":1}"));
        assertEquals(2, t.hub.tryHandOver(pending, afterFirst, null));
        t.publish(t.events.score(1, "B", "{\"n\":4}"));

        List<String> got = new ArrayList<>();
        while (got.size() < 4) {
            got.add(client.nextOf(WAIT, "score").data());
        }
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), got);
        assertTrue(client.drain(Duration.ofMillis(300)).stream().noneMatch(e -> e.event().equals("score")), "nothing twice");
        assertNull(t.kafkaResumes.poll());
    }
}
