package io.vigil.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.scoring.ChannelStateView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilTopologyTest {

    @TempDir
    Path stateDir;

    private String scope;
    private TopologyTestDriver driver;
    private SimpleMeterRegistry meters;
    private TestInputTopic<byte[], byte[]> telemetry;
    private TestOutputTopic<String, ChannelScore> scores;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private Serializer<TelemetryPoint> pointSerializer;

    @BeforeEach
    void start() {
        scope = "topology-test-" + UUID.randomUUID();
        TopologyConfig config = TopologyConfig.from(Settings.of(Map.of(
                "vigil.schema.registry.url", "mock://" + scope,
                "vigil.state.dir", stateDir.toString(),
                "vigil.baseline.warmup", "20")));
        meters = new SimpleMeterRegistry();
        Properties props = config.streamsProperties();
        driver = new TopologyTestDriver(VigilTopology.build(config, meters), props);
        telemetry = driver.createInputTopic(Topics.TELEMETRY.name(), new ByteArraySerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic(Topics.SCORES.name(), new StringDeserializer(),
                AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), new ByteArrayDeserializer(),
                AvroSerde.configured(DeadLetter.class, config.serdeConfig(), false).deserializer());
        pointSerializer = AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).serializer();
    }

    @AfterEach
    void stop() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }

    private byte[] encode(String channel, long time, double value) {
        return pointSerializer.serialize(Topics.TELEMETRY.name(),
                TelemetryPoint.newBuilder().setChannelId(channel).setSource("test").setEventTime(Instant.ofEpochMilli(time)).setValue(value).build());
    }

    private void send(String channel, long time, double value) {
        telemetry.pipeInput(key(channel), encode(channel, time, value));
    }

    private static byte[] key(String channel) {
        return channel.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyValidPointGetsExactlyOneBaselineScore() {
        double[] values = {1.0, 3.0, 2.0, 7.5, 7.0};
        for (int i = 0; i < values.length; i++) {
            send("chan-a", 1000L * i, values[i]);
        }
        List<ChannelScore> out = scores.readValuesToList();
        assertEquals(values.length, out.size());
        for (int i = 0; i < values.length; i++) {
            ChannelScore s = out.get(i);
            assertEquals("chan-a", s.getChannelId());
            assertEquals(1000L * i, s.getEventTime().toEpochMilli());
            assertEquals(values[i], s.getValue());
            double forecast = i == 0 ? values[0] : values[i - 1];
            assertEquals(forecast, s.getForecast());
            assertEquals(Math.abs(values[i] - forecast), s.getError());
            assertEquals(Detector.BASELINE, s.getDetector());
            assertNull(s.getModelVersion());
            assertFalse(s.getAnomalous(), "no verdict during warm-up");
        }
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void channelsKeepTheirOwnState() {
        send("a", 1, 10);
        send("b", 1, 500);
        send("a", 2, 11);
        send("b", 2, 499);
        List<ChannelScore> out = scores.readValuesToList();
        assertEquals(List.of(10.0, 500.0, 10.0, 500.0), out.stream().map(ChannelScore::getForecast).toList());
        // The store holds each channel's whole scorer record now; the baseline's state is part of it.
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(VigilTopology.CHANNEL_STATE_STORE);
        assertEquals(2, ChannelStateView.of(store.get("a")).baseline().count());
        assertEquals(499.0, ChannelStateView.of(store.get("b")).baseline().lastValue());
    }

    @Test
    void aSpikeAfterWarmupIsAnomalous() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 400; i++) {
            send("spiky", i, 50 + 0.1 * random.nextGaussian());
        }
        send("spiky", 400, 80);
        List<ChannelScore> out = scores.readValuesToList();
        assertEquals(401, out.size());
        ChannelScore spike = out.get(400);
        assertTrue(spike.getAnomalous(), "spike: " + spike);
        assertTrue(spike.getSmoothedError() > spike.getThreshold());
        assertTrue(out.subList(0, 20).stream().allMatch(s -> Double.isNaN(s.getThreshold())), "warm-up has no threshold");
        assertFalse(Double.isNaN(out.get(21).getThreshold()));
    }

    @Test
    void eachKindOfBadInputGetsItsDeadLetterAndGoodInputKeepsFlowing() {
        send("c", 10, 1.0);
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        telemetry.pipeInput(key("c"), garbage);
        byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).put(new byte[] {2, 4, 6, 8}).array();
        telemetry.pipeInput(key("c"), unknownSchema);
        byte[] truncated = java.util.Arrays.copyOf(encode("c", 11, 1.0), 8);
        telemetry.pipeInput(key("c"), truncated);
        telemetry.pipeInput(key("c"), (byte[]) null);
        telemetry.pipeInput((byte[]) null, encode("c", 12, 1.0));
        telemetry.pipeInput(key("other"), encode("c", 13, 1.0));
        send("c", 14, Double.NaN);
        send("c", 15, Double.POSITIVE_INFINITY);
        send("c", 5, 1.0);
        send("c", 10, 2.0);
        send("c", 20, 3.0);

        List<DeadLetterReason> expected = List.of(
                DeadLetterReason.MALFORMED,      // garbage bytes
                DeadLetterReason.UNKNOWN_SCHEMA, // schema id the registry never issued
                DeadLetterReason.MALFORMED,      // truncated Avro body
                DeadLetterReason.MALFORMED,      // tombstone
                DeadLetterReason.MISSING_KEY,
                DeadLetterReason.KEY_MISMATCH,
                DeadLetterReason.INVALID_VALUE,  // NaN
                DeadLetterReason.INVALID_VALUE,  // +Inf
                DeadLetterReason.OUT_OF_ORDER,   // older than the last scored point
                DeadLetterReason.DUPLICATE);     // same event time as the last scored point
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertEquals(expected, letters.stream().map(DeadLetter::getReason).toList());
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter letter = letters.get(i);
            assertEquals(Topics.TELEMETRY.name(), letter.getOriginTopic());
            assertEquals(i + 1, letter.getOriginOffset(), "offset of dead letter " + i);
            assertFalse(letter.getDetail().isEmpty());
        }
        assertArrayEquals(garbage, bytes(letters.get(0).getRawValue()));
        assertArrayEquals(unknownSchema, bytes(letters.get(1).getRawValue()));
        assertNull(letters.get(3).getRawValue());
        assertNull(letters.get(4).getRawKey());

        List<ChannelScore> scored = scores.readValuesToList();
        assertEquals(List.of(10L, 20L), scored.stream().map(s -> s.getEventTime().toEpochMilli()).toList());
        assertEquals(1.0, scored.get(1).getForecast(), "rejected points leave the state alone");
        assertEquals(12, scored.size() + letters.size(), "every input is one score or one dead letter");
        assertEquals(2.0, meters.get("vigil.dead.letters").tag("reason", "invalid_value").counter().count());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
