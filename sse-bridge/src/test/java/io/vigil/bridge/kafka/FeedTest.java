package io.vigil.bridge.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeStatus;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.testing.Await;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SCORES = EventType.SCORE.topic();
    private static final String NODES = EventType.NODE.topic();
    private static final TopicPartition S0 = new TopicPartition(SCORES, 0);
    private static final TopicPartition S1 = new TopicPartition(SCORES, 1);
    private static final TopicPartition N0 = new TopicPartition(NODES, 0);

    /** Avro single-object encoding: real Avro bytes without needing a registry. */
    private static final Decoders AVRO = new Decoders(
            avro(ChannelScore.getDecoder()::decode), avro(AnomalyEvent.getDecoder()::decode),
            avro(NodeStatus.getDecoder()::decode), avro(LabelSegment.getDecoder()::decode));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink sink = new RecordingSink();
    private final LinkedBlockingQueue<FakeBroker> brokers = new LinkedBlockingQueue<>();
    private Feed feed;

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
    }

    @Test
    void readsTheLookBackThenGoesLiveAndSkipsRecordsThatDoNotDecode() throws Exception {
        FakeBroker consumer = broker();
        consumer.updatePartitions(SCORES, List.of(partition(SCORES, 1), partition(SCORES, 0)));
        consumer.updatePartitions(NODES, List.of(partition(NODES, 0)));
        consumer.updateBeginningOffsets(Map.of(S0, 0L, S1, 0L, N0, 0L));
        consumer.updateEndOffsets(Map.of(S0, 10L, S1, 2L, N0, 1L));
        feed = newFeed(new Lookback(3, 100));
        feed.start();

        Await.until(WAIT, "catching up", () -> feed.status().phase() == FeedStatus.Phase.CATCHING_UP);
        assertEquals(3, feed.status().partitions());
        Position start = sink.begun.get(0);
        assertEquals(7, start.next(EventType.SCORE, 0), "three back from the end");
        assertEquals(0, start.next(EventType.SCORE, 1), "shorter than the look-back: from the beginning");
        assertEquals(0, start.next(EventType.NODE, 0), "node status: from the beginning");
        assertEquals(0, start.partitions(EventType.ANOMALY), "no anomalies topic yet");

        for (long o = 7; o < 10; o++) {
            consumer.addRecord(record(SCORES, 0, o, o == 8 ? "not avro".getBytes(StandardCharsets.UTF_8)
                    : encode(Scores.score("A-1", 1000 + o, 0.5, 2))));
        }
        consumer.addRecord(record(SCORES, 1, 0, encode(Scores.score("B-2", 1000, 0.5, null))));
        consumer.addRecord(record(SCORES, 1, 1, encode(Scores.score("B-2", 1001, 0.5, null))));
        consumer.addRecord(record(NODES, 0, 0, encode(NodeStatus.newBuilder().setNodeId("n")
                .setStatus(NodeLiveness.FAULTED).setChangedAt(Instant.EPOCH).build())));

        Await.until(WAIT, "ready", () -> feed.status().ready());
        assertEquals(1, sink.readies.get());
        assertEquals(List.of("node null@0", "score A-1@7", "score A-1@9", "score B-2@0", "score B-2@1"),
                sorted(sink.records));
        Position after = sink.lastAfter;
        assertEquals(10, after.next(EventType.SCORE, 0), "past the undecodable record too");
        assertEquals(2, after.next(EventType.SCORE, 1));
        assertEquals(1.0, registry.get(RecordDecoder.DECODE_FAILURES).tag("type", "score").tag("reason", "other")
                .counter().count());

        consumer.addRecord(record(SCORES, 1, 2, encode(Scores.score("B-2", 1002, 1.0, null))));
        Await.until(WAIT, "the live record", () -> sink.records.contains("score B-2@2"));
        feed.close();
        assertTrue(consumer.closed());
        assertFalse(feed.status().ready());
    }

    @Test
    void aReplacedConsumerContinuesWhereTheFailedOneStopped() throws Exception {
        FakeBroker first = broker();
        FakeBroker second = broker();
        for (FakeBroker b : List.of(first, second)) {
            b.updatePartitions(SCORES, List.of(partition(SCORES, 0)));
            b.updateBeginningOffsets(Map.of(S0, 0L));
            b.updateEndOffsets(Map.of(S0, 0L));
        }
        feed = newFeed(new Lookback(100, 100));
        feed.start();
        Await.until(WAIT, "ready", () -> feed.status().ready());
        first.addRecord(record(SCORES, 0, 0, encode(Scores.score("A", 1, 0.5, null))));
        first.addRecord(record(SCORES, 0, 1, encode(Scores.score("A", 2, 0.5, null))));
        Await.until(WAIT, "two records", () -> sink.records.size() == 2);
        first.setPollException(new KafkaException("broker went away"));

        // Assigned, then positioned: wait for the seek, not just the assignment.
        Await.until(WAIT, "the second consumer positioned", () -> second.seeks.containsKey(S0));
        assertEquals(2, second.seeks.get(S0), "positioned after the last record the first one handed on");
        assertEquals(2, second.position(S0));
        second.addRecord(record(SCORES, 0, 2, encode(Scores.score("A", 3, 0.5, null))));
        Await.until(WAIT, "the third record", () -> sink.records.size() == 3);
        assertEquals(List.of("score A@0", "score A@1", "score A@2"), sink.records);
        assertEquals(1, sink.begun.size(), "positions did not start over");
        assertEquals(1, sink.readies.get());
    }

    @Test
    void waitsForAnAbsentBrokerAndTopicThenBecomesReady() throws Exception {
        FakeBroker consumer = broker();
        consumer.failMetadataCalls(2);
        feed = new Feed(() -> consumer, new RecordDecoder(AVRO, registry), sink, new Lookback(1, 1),
                Duration.ofMillis(100), registry);
        feed.start();

        Await.until(WAIT, "waiting for the broker", () -> feed.status().detail().startsWith("waiting for Kafka"));
        assertFalse(feed.status().ready());
        Await.until(WAIT, "waiting for the topic", () -> feed.status().detail().contains("does not exist"));
        assertEquals(FeedStatus.Phase.STARTING, feed.status().phase());

        consumer.updateBeginningOffsets(Map.of(S0, 0L));
        consumer.updateEndOffsets(Map.of(S0, 0L));
        consumer.updatePartitions(SCORES, List.of(partition(SCORES, 0)));
        Await.until(WAIT, "ready", () -> feed.status().ready());
        assertEquals(1, feed.status().partitions());
    }

    private Feed newFeed(Lookback lookback) {
        return new Feed(() -> {
            FakeBroker next = brokers.poll();
            if (next == null) {
                throw new IllegalStateException("no more consumers");
            }
            return next;
        }, new RecordDecoder(AVRO, registry), sink, lookback, Duration.ofSeconds(1), registry);
    }

    private FakeBroker broker() {
        FakeBroker broker = new FakeBroker();
        brokers.add(broker);
        return broker;
    }

    private static List<String> sorted(List<String> records) {
        List<String> copy = new ArrayList<>(records);
        Collections.sort(copy);
        return copy;
    }

    private static PartitionInfo partition(String topic, int p) {
        return new PartitionInfo(topic, p, null, null, null);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] value) {
        return new ConsumerRecord<>(topic, partition, offset, "k".getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] encode(SpecificRecordBase value) {
        try {
            ByteBuffer buffer = value instanceof ChannelScore s ? ChannelScore.getEncoder().encode(s)
                    : NodeStatus.getEncoder().encode((NodeStatus) value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Decode<T> {
        T decode(byte[] bytes) throws IOException;
    }

    private static <T> Deserializer<T> avro(Decode<T> decode) {
        return (topic, data) -> {
            try {
                return decode.decode(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** What the feed handed on, as "type channel@offset". */
    private static final class RecordingSink implements FeedSink {
        final List<Position> begun = new CopyOnWriteArrayList<>();
        final List<String> records = new CopyOnWriteArrayList<>();
        final AtomicInteger readies = new AtomicInteger();
        volatile Position lastAfter;

        @Override
        public void begin(Position start) {
            begun.add(start);
        }

        @Override
        public void accept(List<FeedRecord> batch, Position after) {
            for (FeedRecord r : batch) {
                records.add(r.decoded().type().eventName() + " " + r.decoded().channel() + "@" + r.offset());
            }
            lastAfter = after;
        }

        @Override
        public void ready() {
            readies.incrementAndGet();
        }
    }

    /**
     * Kafka's MockConsumer, made to behave a little more like a real one: an empty poll waits a
     * moment (the mock returns at once, which would spin a core), unknown topics have no partitions,
     * and metadata calls can time out.
     */
    private static final class FakeBroker extends MockConsumer<byte[], byte[]> {
        private final AtomicInteger metadataFailures = new AtomicInteger();
        final Map<TopicPartition, Long> seeks = new java.util.concurrent.ConcurrentHashMap<>();

        FakeBroker() {
            super("earliest");
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            seeks.put(partition, offset);
        }

        void failMetadataCalls(int times) {
            metadataFailures.set(times);
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            if (metadataFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new TimeoutException("Timeout expired while fetching topic metadata");
            }
            List<PartitionInfo> infos = super.partitionsFor(topic, timeout);
            return infos == null ? List.of() : infos;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    Thread.sleep(Math.min(timeout.toMillis(), 5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }
}
