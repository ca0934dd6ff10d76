package io.vigil.bridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.kafka.Decoders;
import io.vigil.bridge.kafka.Lookback;
import io.vigil.bridge.kafka.RecordDecoder;
import io.vigil.bridge.resume.CatchUpReader;
import io.vigil.bridge.testing.SseStream;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.vigil.bridge.web.TestServer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume ids that do not fit the topics any more (recreated, with fewer partitions, or from another
 * cluster): detected against Kafka's log ends by a real {@link CatchUpReader} over a mock consumer,
 * resumed from the look-back, and announced, instead of holding back every event below the old offsets.
 */
class StaleResumeTest {

    /** Two records of score look-back per partition. */
    private static final Lookback LOOKBACK = new Lookback(2, 2);
    private static final long OLD_OFFSET = 2_400_117;

    private final ObjectMapper json = new ObjectMapper();
    @RegisterExtension
    final TestServers servers = new TestServers();
    /** Kafka's log end of every partition the test does not set: nothing yet. */
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private TestServer t;

    @Test
    void aResumeIdBeyondTheLogEndIsResumedFromTheLookBackAndTheClientIsTold() throws Exception {
        start();
        publishScores(3); // offsets 0..2 of partition 0
        ends.put(scores(0), 3L);
        String stale = id(new long[] {OLD_OFFSET, OLD_OFFSET - 1611});

        SseStream client = t.track(SseStream.open(t.http, t.uri("/events?type=score"), stale, null));
        JsonNode resume = json.readTree(client.nextOf(WAIT, "resume").data());
        assertEquals("kafka", resume.get("via").textValue());
        assertEquals("[\"score\"]", resume.get("reset").toString());
        assertTrue(client.comments().stream().anyMatch(c -> c.startsWith("resume id is stale for vigil.scores")),
                client.comments().toString());
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), scores(client, 2), "the look-back of two, not nothing");
        t.publish(t.events.score(0, "A", "{\"n\":3}"));
        assertEquals("{\"n\":3}", client.nextOf(WAIT, "score").data(), "and live events after it");
        assertEquals(1.0, t.registry.get(CatchUpReader.STALE).counter().count());
    }

    @Test
    void aResumeIdListingMorePartitionsThanTheTopicHasIsResumedFromTheLookBack() throws Exception {
        start();
        publishScores(3);
        ends.put(scores(0), 3L);
        String stale = id(new long[] {1, 0, 0}); // in range, but the topic has two partitions

        SseStream client = t.track(SseStream.open(t.http, t.uri("/events?type=score"), stale, null));
        assertEquals("[\"score\"]", json.readTree(client.nextOf(WAIT, "resume").data()).get("reset").toString());
        SseStream.Event first = client.nextOf(WAIT, "score");
        assertEquals("{\"n\":1}", first.data());
        assertEquals(2, PositionCodec.decode(first.id()).partitions(EventType.SCORE),
                "its ids list the topic's partitions, not the client's");
    }

    @Test
    void anIdFromAReplicaAheadOfThisOneIsNotAReset() throws Exception {
        start();
        publishScores(3);
        ends.put(scores(0), 5L); // Kafka has two more than this bridge has read yet
        String ahead = id(new long[] {4, 0});

        SseStream client = t.track(SseStream.open(t.http, t.uri("/events?type=score"), ahead, null));
        JsonNode resume = json.readTree(client.nextOf(WAIT, "resume").data());
        assertEquals("{\"via\":\"kafka\",\"lost\":0}", resume.toString());
        t.publish(t.events.score(0, "A", "{\"n\":3}"), t.events.score(0, "A", "{\"n\":4}"));
        assertEquals("{\"n\":4}", client.nextOf(WAIT, "score").data(), "offset 3 it had; offset 4 it gets");
        assertEquals(0.0, t.registry.get(CatchUpReader.STALE).counter().count());
    }

    @Test
    void anIdAheadOfTheFrontierIsNeverTakenAsUpToDate() throws Exception {
        t = servers.start(10); // Kafka resumes are only recorded
        publishScores(3);
        SseStream client = t.track(SseStream.open(t.http, t.uri("/events"), id(new long[] {OLD_OFFSET, 0}), null));
        client.awaitComment(WAIT, "resuming from Kafka");
        assertFalse(client.drain(Duration.ofMillis(200)).stream().anyMatch(e -> e.event().equals("resume")),
                "no 'nothing missed': that would hold back every event below the old offset");
        assertFalse(t.kafkaResumes.isEmpty());
    }

    @Test
    void aResumedClientsIdsListOnlyTheBridgesPartitionsWhateverItsIdListed() throws Exception {
        t = servers.start(10);
        long[][] offsets = Position.EMPTY.toArrays();
        offsets[EventType.SCORE.ordinal()] = new long[2];
        offsets[EventType.NODE.ordinal()] = new long[1000]; // a type this client does not want
        String huge = PositionCodec.encode(Position.of(offsets));

        SseStream client = t.track(SseStream.open(t.http, t.uri("/events?type=score"), huge, null));
        client.nextOf(WAIT, "resume");
        t.publish(t.events.score(0, "A", "{\"n\":0}"));
        SseStream.Event event = client.nextOf(WAIT, "score");
        Position id = PositionCodec.decode(event.id());
        assertEquals(2, id.partitions(EventType.NODE));
        assertTrue(event.id().length() < 40, event.id());
    }

    private void start() {
        SimpleMeterRegistry decoderMeters = new SimpleMeterRegistry();
        // Nothing here is read from the mock: every resume reaches memory before its first poll.
        RecordDecoder decoder = new RecordDecoder(new Decoders(null, null, null, null), decoderMeters);
        t = servers.start(new HubSettings(100, 1000, Duration.ofSeconds(15), Duration.ofSeconds(60), 10),
                WebSettings.local(0), server -> (client, from) -> new CatchUpReader(this::consumer, decoder,
                        server.views::sourceOf, server.hub, client, from, LOOKBACK, 1000, Duration.ofSeconds(1),
                        CatchUpReader.staleCounter(server.registry)));
        CatchUpReader.staleCounter(t.registry); // at 0 from the start, as in the bridge
    }

    private MockConsumer<byte[], byte[]> consumer() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, Long> last = new HashMap<>();
        for (EventType type : EventType.values()) {
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition(type.topic(), p);
                first.put(tp, 0L);
                last.put(tp, ends.getOrDefault(tp, 0L));
            }
        }
        consumer.updateBeginningOffsets(first);
        consumer.updateEndOffsets(last);
        return consumer;
    }

    private void publishScores(int count) {
        for (int n = 0; n < count; n++) {
            t.publish(t.events.score(0, "A", "{\"n\":" + n + "}"));
        }
    }

    private static List<String> scores(SseStream client, int count) throws InterruptedException {
        List<String> got = new java.util.ArrayList<>();
        while (got.size() < count) {
            got.add(client.nextOf(WAIT, "score").data());
        }
        return got;
    }

    private static TopicPartition scores(int partition) {
        return new TopicPartition(EventType.SCORE.topic(), partition);
    }

    /** An id with these score offsets and every other type at 0 on two partitions. */
    private static String id(long[] scoreOffsets) {
        long[][] offsets = new long[EventType.count()][];
        for (int type = 0; type < offsets.length; type++) {
            offsets[type] = new long[2];
        }
        offsets[EventType.SCORE.ordinal()] = scoreOffsets;
        return PositionCodec.encode(Position.of(offsets));
    }
}
