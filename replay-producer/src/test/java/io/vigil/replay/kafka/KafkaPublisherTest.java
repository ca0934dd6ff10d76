package io.vigil.replay.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.Heartbeat;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.NodeState;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaPublisherTest {

    private static final String SCOPE = "publisher-test";
    private static final Map<String, String> REGISTRY = Map.of("schema.registry.url", "mock://" + SCOPE);

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void theFastEncoderWritesExactlyWhatTheSerializerWrites() {
        var serializer = AvroSerde.configured(TelemetryPoint.class, REGISTRY, false).serializer();
        TelemetryPoint probe = new TelemetryPoint("p", "s", Instant.ofEpochMilli(1), 1.0, List.of(0.5));
        PointEncoder encoder = PointEncoder.verified(probe, serializer.serialize(Topics.TELEMETRY.name(), probe));
        assertNotNull(encoder);
        String[] ids = {"a", "machine_temperature_system_failure", "grid/meter-001/voltage_v", "\u00e9t\u00e9/\u65e5\u672c", "x".repeat(300)};
        long[] times = {0, 1, -1, 63, 64, -65, 1_396_310_400_000L, Long.MAX_VALUE, Long.MIN_VALUE};
        double[] values = {0, -0.0, 1.5, -273.15, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY};
        for (String id : ids) {
            byte[] prefix = encoder.prefix(id, "nab-demo");
            for (long t : times) {
                for (double v : values) {
                    TelemetryPoint p = new TelemetryPoint(id, "nab-demo", Instant.ofEpochMilli(t), v, List.of());
                    assertArrayEquals(serializer.serialize(Topics.TELEMETRY.name(), p),
                            encoder.encode(prefix, t, v, new double[0]), id + " " + t + " " + v);
                }
            }
            for (int count : new int[] {1, 24, 63, 64, 200}) {
                double[] inputs = new double[count];
                for (int k = 0; k < count; k++) {
                    inputs[k] = values[k % values.length];
                }
                TelemetryPoint p = new TelemetryPoint(id, "nab-demo", Instant.ofEpochMilli(5), 2.5,
                        java.util.Arrays.stream(inputs).boxed().toList());
                assertArrayEquals(serializer.serialize(Topics.TELEMETRY.name(), p), encoder.encode(prefix, 5, 2.5, inputs),
                        id + " with " + count + " inputs");
            }
        }
        assertNull(PointEncoder.verified(probe, new byte[] {0, 0, 0, 0, 9, 1}), "bytes it cannot reproduce disable it");
    }

    @Test
    void sendsKeyedRecordsWithEventTimestampsThatDecode() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaPublisher publisher = new KafkaPublisher(producer, KafkaPublisher.Serializers.forRegistry(REGISTRY));
        assertTrue(publisher.fastEncoding());
        int ch = publisher.channel("art_daily_jumpsup", "nab");
        int node = publisher.node("tel-001");
        publisher.label(ch, 1000, 2000, 3000, "nab-window");
        publisher.point(ch, 2000, 42.5);
        publisher.heartbeat(node, 2500, NodeState.BUSY, "M31");
        publisher.flush();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals(List.of(Topics.LABELS.name(), Topics.TELEMETRY.name(), Topics.HEARTBEATS.name()), sent.stream().map(ProducerRecord::topic).toList());
        assertEquals(List.of(1000L, 2000L, 2500L), sent.stream().map(ProducerRecord::timestamp).toList());
        assertEquals("art_daily_jumpsup", new String(sent.get(0).key(), StandardCharsets.UTF_8));
        assertEquals("tel-001", new String(sent.get(2).key(), StandardCharsets.UTF_8));

        LabelSegment label = AvroSerde.configured(LabelSegment.class, REGISTRY, false).deserializer().deserialize(Topics.LABELS.name(), sent.get(0).value());
        assertEquals(new LabelSegment("art_daily_jumpsup", Instant.ofEpochMilli(2000), Instant.ofEpochMilli(3000), "nab", "nab-window"), label);
        TelemetryPoint point = AvroSerde.configured(TelemetryPoint.class, REGISTRY, false).deserializer().deserialize(Topics.TELEMETRY.name(), sent.get(1).value());
        assertEquals(new TelemetryPoint("art_daily_jumpsup", "nab", Instant.ofEpochMilli(2000), 42.5, List.of()), point);
        Heartbeat beat = AvroSerde.configured(Heartbeat.class, REGISTRY, false).deserializer().deserialize(Topics.HEARTBEATS.name(), sent.get(2).value());
        assertEquals(new Heartbeat("tel-001", Instant.ofEpochMilli(2500), NodeState.BUSY, "M31"), beat);
        assertEquals(3, publisher.counts().total());
        assertEquals(3, publisher.counts().acknowledged());
    }

    @Test
    void theFirstDeliveryFailureIsKept() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaPublisher publisher = new KafkaPublisher(producer, KafkaPublisher.Serializers.forRegistry(REGISTRY));
        int ch = publisher.channel("a", "t");
        publisher.point(ch, 1, 1);
        publisher.point(ch, 2, 2);
        RuntimeException first = new org.apache.kafka.common.errors.TimeoutException("expired");
        producer.errorNext(first);
        producer.errorNext(new IllegalStateException("second"));
        assertSame(first, publisher.failure());
        assertEquals(0, publisher.counts().acknowledged());
    }
}
