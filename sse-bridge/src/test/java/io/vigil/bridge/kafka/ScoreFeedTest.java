package io.vigil.bridge.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.ChannelScore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreFeedTest {

    private static final String TOPIC = "vigil.scores";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** Avro single-object encoding: real Avro bytes without needing a registry. */
    private static final Deserializer<ChannelScore> AVRO = (topic, data) -> {
        try {
            return ChannelScore.getDecoder().decode(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BlockingQueue<String[]> published = new LinkedBlockingQueue<>();
    private final ScoreForwarder forwarder =
            new ScoreForwarder(AVRO, (event, id, data) -> published.add(new String[] {event, id, data}), registry);
    private final FakeBroker consumer = new FakeBroker();
    private ScoreFeed feed;

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
    }

    @Test
    void readsEveryPartitionFromItsEndAndSkipsRecordsThatDoNotDecode() throws Exception {
        consumer.updatePartitions(TOPIC, List.of(partition(1), partition(0)));
        consumer.updateEndOffsets(Map.of(P0, 10L, P1, 20L));
        feed = new ScoreFeed(() -> consumer, TOPIC, forwarder, Duration.ofSeconds(1));
        assertFalse(feed.status().ready());

        feed.start();
        await(() -> feed.status().ready(), "feed ready");
        assertEquals(2, feed.status().partitions());
        assertEquals(Set.of(P0, P1), consumer.assignment());
        assertEquals(10L, consumer.position(P0));
        assertEquals(20L, consumer.position(P1));

        consumer.addRecord(record(0, 10, encode(Scores.score("A-1", 1000, 0.5, 2))));
        consumer.addRecord(record(1, 20, "not avro".getBytes(StandardCharsets.UTF_8)));
        consumer.addRecord(record(1, 21, encode(Scores.score("B-2", 2000, Double.NaN, null))));

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            String[] event = published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(event, "published event " + i);
            assertEquals("score", event[0]);
            ids.add(event[1]);
            assertTrue(event[2].startsWith("{\"channelId\":\"" + (event[1].equals("0-10") ? "A-1" : "B-2")), event[2]);
        }
        assertEquals(Set.of("0-10", "1-21"), ids);
        assertEquals(1.0, registry.get(ScoreForwarder.DECODE_FAILURES).tag("reason", "other").counter().count());
        assertEquals(3.0, registry.get(ScoreForwarder.RECEIVED).counter().count());

        // The loop survived the bad record.
        consumer.addRecord(record(1, 22, encode(Scores.score("B-2", 3000, 1.0, null))));
        String[] after = published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(after);
        assertEquals("1-22", after[1]);

        feed.close();
        assertTrue(consumer.closed());
        assertFalse(feed.status().ready());
    }

    @Test
    void waitsForAnAbsentBrokerAndTopicThenBecomesReady() throws Exception {
        consumer.failMetadataCalls(2);
        feed = new ScoreFeed(() -> consumer, TOPIC, forwarder, Duration.ofMillis(100));
        feed.start();

        await(() -> feed.status().detail().startsWith("waiting for Kafka"), "waiting for the broker");
        assertFalse(feed.status().ready());
        await(() -> feed.status().detail().contains("does not exist"), "waiting for the topic");
        assertFalse(feed.status().ready());

        consumer.updateEndOffsets(Map.of(P0, 0L));
        consumer.updatePartitions(TOPIC, List.of(partition(0)));
        await(() -> feed.status().ready(), "feed ready");
        assertEquals(1, feed.status().partitions());
    }

    private static PartitionInfo partition(int p) {
        return new PartitionInfo(TOPIC, p, null, null, null);
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, byte[] value) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "k".getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] encode(ChannelScore score) throws IOException {
        ByteBuffer buffer = ChannelScore.getEncoder().encode(score);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Kafka's MockConsumer, made to behave a little more like a real one: an empty poll waits a
     * moment (the mock returns at once, which would spin a core), and metadata calls can time out.
     */
    private static final class FakeBroker extends MockConsumer<byte[], byte[]> {
        private final AtomicInteger metadataFailures = new AtomicInteger();

        FakeBroker() {
            super("latest");
        }

        void failMetadataCalls(int times) {
            metadataFailures.set(times);
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            if (metadataFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new TimeoutException("Timeout expired while fetching topic metadata");
            }
            return super.partitionsFor(topic, timeout);
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
