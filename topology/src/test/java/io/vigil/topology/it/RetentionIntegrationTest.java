package io.vigil.topology.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History replayed with its own times on a broker that enforces time retention (the default seven
 * days, checked every 200 ms here instead of every five minutes). A topic stamped by its producers
 * loses such records at the first check: the control topic shows the check ran and what it would have
 * done. Vigil's telemetry topic is stamped on arrival, so every point stays until it is scored, and the
 * scores, which carry their point's timestamp, stay after a later check too.
 */
class RetentionIntegrationTest {

    private static final int POINTS = 300;
    private static final long HISTORY = Instant.parse("2014-02-14T00:00:00Z").toEpochMilli();
    private static final String CHANNEL = "history-1";
    private static final String CONTROL = "history-stamped-by-producer";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka(Map.of("log.retention.check.interval.ms", "200", "log.initial.task.delay.ms", "0"));
        kafka.createTopics(1);
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(CONTROL, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void historyReplayedWithItsOwnTimesOutlivesRetentionAndIsScoredInFull() throws Exception {
        String scope = "retention-" + UUID.randomUUID();
        TopologyConfig config = kafka.scorerConfig(stateDir, scope);
        long sentFrom = System.currentTimeMillis();
        produceHistory(config);

        awaitEarliest(CONTROL, POINTS);
        assertEquals(0, earliest(Topics.TELEMETRY.name()), "no point was deleted before it was scored");
        assertEquals(POINTS, latest(Topics.TELEMETRY.name()));

        KafkaStreams streams = new KafkaStreams(VigilTopology.build(config, new SimpleMeterRegistry()),
                config.streamsProperties());
        try {
            streams.start();
            var scores = AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false).deserializer();
            List<ChannelScore> scored = kafka.readCommitted(Topics.SCORES.name(), scores, POINTS, Duration.ofSeconds(1));
            assertEquals(POINTS, scored.size());
            for (int i = 0; i < POINTS; i++) {
                assertEquals(HISTORY + 60_000L * i, scored.get(i).getEventTime().toEpochMilli(), "score " + i);
            }

            // One more record the producer dates in the past, and its deletion: a check after the scores were written.
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                producer.send(new ProducerRecord<>(CONTROL, null, HISTORY, key(), new byte[] {1})).get();
            }
            awaitEarliest(CONTROL, POINTS + 1);
            assertEquals(0, earliest(Topics.TELEMETRY.name()));
            // Scores are transactional, and the broker stamps commit markers with its own time, so a
            // score dated 2014 survives a check once committed; before that a check could take it.
            assertTrue(firstTimestamp(Topics.SCORES.name()) >= sentFrom, "scores carry their point's arrival time");
            assertEquals(POINTS, kafka.readCommitted(Topics.SCORES.name(), scores, POINTS, Duration.ofSeconds(1)).size());
            assertTrue(firstTimestamp(Topics.TELEMETRY.name()) >= sentFrom,
                    "the broker stamped the point on arrival, not with its event time");
        } finally {
            streams.close(Duration.ofSeconds(30));
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** The channel's points, each stamped with its event time as the replay producer does, and a copy of each to the control topic. */
    private void produceHistory(TopologyConfig config) throws Exception {
        var points = AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).serializer();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < POINTS; i++) {
                long time = HISTORY + 60_000L * i;
                TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(CHANNEL).setSource("history")
                        .setEventTime(Instant.ofEpochMilli(time)).setValue(Math.sin(i / 7.0)).build();
                producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), null, time, key(),
                        points.serialize(Topics.TELEMETRY.name(), point)));
                producer.send(new ProducerRecord<>(CONTROL, null, time, key(), new byte[] {1}));
            }
            producer.flush();
        }
    }

    /** Waits until retention has deleted the first {@code offset} records of {@code topic}. */
    private static void awaitEarliest(String topic, long offset) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long earliest;
        while ((earliest = earliest(topic)) < offset) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the broker's retention check did not delete " + topic + " up to " + offset
                        + " within " + WAIT + "; earliest offset " + earliest);
            }
            Thread.sleep(100);
        }
    }

    /** The Kafka timestamp of the first record of {@code topic}. */
    private static long firstTimestamp(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r.timestamp();
                }
            }
        }
        throw new AssertionError(topic + " has no record");
    }

    private static long earliest(String topic) throws Exception {
        return offset(topic, OffsetSpec.earliest());
    }

    private static long latest(String topic) throws Exception {
        return offset(topic, OffsetSpec.latest());
    }

    private static long offset(String topic, OffsetSpec spec) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
        }
    }

    private static byte[] key() {
        return CHANNEL.getBytes(StandardCharsets.UTF_8);
    }
}
