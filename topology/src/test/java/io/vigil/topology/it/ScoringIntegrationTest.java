package io.vigil.topology.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.scoring.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real topology on a real broker: N points in, exactly N scores out, and bad records dead-lettered
 * without stopping the stream thread. One channel has a champion (released before its first point),
 * another gets a release with a wrong checksum: the models topic and the telemetry topic meet in one
 * co-partitioned sub-topology.
 */
class ScoringIntegrationTest {

    private static final int CHANNELS = 8;
    private static final int POINTS_PER_CHANNEL = 250;

    private static EmbeddedKafka kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(4);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void everyPointBecomesExactlyOneScoreAndBadRecordsBecomeDeadLetters() throws Exception {
        String scope = "it-" + UUID.randomUUID();
        TopologyConfig config = kafka.scorerConfig(stateDir, scope);

        KafkaStreams streams = new KafkaStreams(VigilTopology.build(config, new SimpleMeterRegistry()),
                config.streamsProperties());
        try {
            // On the broker before the stream thread's first fetch, and timestamped before every point: a
            // task takes its inputs in timestamp order, so the release is applied before ch-0's first point.
            releaseModels(config);
            streams.start();
            int good = produce(config);
            int bad = 4;

            List<ChannelScore> scores = kafka.readCommitted(Topics.SCORES.name(),
                    AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false).deserializer(), good, Duration.ofSeconds(2));
            List<DeadLetter> letters = kafka.readCommitted(Topics.DEAD_LETTERS.name(),
                    AvroSerde.configured(DeadLetter.class, config.serdeConfig(), false).deserializer(), bad, Duration.ofSeconds(2));

            assertEquals(good, scores.size());
            assertEquals(bad, letters.size());
            assertEquals(List.of(DeadLetterReason.MALFORMED, DeadLetterReason.MALFORMED, DeadLetterReason.UNKNOWN_SCHEMA,
                            DeadLetterReason.BAD_MODEL),
                    letters.stream().map(DeadLetter::getReason).sorted().toList());
            for (ChannelScore s : scores) {
                boolean modelled = s.getChannelId().equals("ch-0");
                assertEquals(modelled ? Detector.LSTM : Detector.BASELINE, s.getDetector(), s.getChannelId());
            }
            for (int c = 0; c < CHANNELS; c++) {
                String channel = "ch-" + c;
                List<Long> times = scores.stream().filter(s -> s.getChannelId().equals(channel))
                        .map(s -> s.getEventTime().toEpochMilli()).toList();
                assertEquals(POINTS_PER_CHANNEL, times.size(), channel);
                for (int i = 1; i < times.size(); i++) {
                    assertTrue(times.get(i) > times.get(i - 1), channel + " scores out of order");
                }
            }
            assertEquals(KafkaStreams.State.RUNNING, streams.state(), "bad records must not stop the stream thread");
        } finally {
            streams.close(Duration.ofSeconds(30));
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** A champion for ch-0 and, for ch-1, a release whose checksum does not match its parameters. */
    private void releaseModels(TopologyConfig config) throws Exception {
        var releases = AvroSerde.configured(ModelRelease.class, config.serdeConfig(), false).serializer();
        LstmArchitecture shape = TestModels.shape(1, 8);
        ModelRelease champion = TestModels.champion("ch-0", 1, shape, TestModels.randomParameters(shape, 1), -1, 2,
                TestModels.SMALL).build();
        ModelRelease tampered = TestModels.champion("ch-1", 1, shape, TestModels.randomParameters(shape, 2), -1, 2,
                TestModels.SMALL).setChecksum(champion.getChecksum()).build();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (ModelRelease release : List.of(champion, tampered)) {
                producer.send(new ProducerRecord<>(Topics.MODELS.name(), null, 1_600_000_000_000L,
                        key(release.getChannelId()), releases.serialize(Topics.MODELS.name(), release))).get();
            }
        }
    }

    /** Produces the good points of every channel with three bad records in between; returns the good count. */
    private int produce(TopologyConfig config) {
        var pointSerializer = AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).serializer();
        int count = 0;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < POINTS_PER_CHANNEL; i++) {
                for (int c = 0; c < CHANNELS; c++) {
                    String channel = "ch-" + c;
                    TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(channel).setSource("it")
                            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + 60_000L * i)).setValue(Math.sin(i / 10.0) + c).build();
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), null,
                            point.getEventTime().toEpochMilli(), key(channel),
                            pointSerializer.serialize(Topics.TELEMETRY.name(), point)));
                    count++;
                }
                if (i == 100) {
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), key("ch-1"), new byte[] {1, 2, 3}));
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), key("ch-2"), new byte[] {0, 0, 0, 0}));
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), key("ch-3"),
                            new byte[] {0, 0, 0, 0x7f, 0x7f, 2}));
                }
            }
            producer.flush();
        }
        return count;
    }

    private static byte[] key(String channel) {
        return channel.getBytes(StandardCharsets.UTF_8);
    }
}
