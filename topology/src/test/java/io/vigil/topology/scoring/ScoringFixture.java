package io.vigil.topology.scoring;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.release.ChannelModels;
import io.vigil.topology.release.ModelCache;
import io.vigil.topology.release.ModelDescriptor;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The whole topology in a {@link TopologyTestDriver}, with typed access to what the scorer reads and writes. */
public final class ScoringFixture implements AutoCloseable {

    private final String scope = "scoring-test-" + UUID.randomUUID();
    private final TopologyTestDriver driver;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestInputTopic<byte[], byte[]> telemetry;
    private final TestInputTopic<byte[], byte[]> models;
    private final TestOutputTopic<String, ChannelScore> scores;
    private final TestOutputTopic<String, AnomalyEvent> anomalies;
    private final TestOutputTopic<byte[], DeadLetter> deadLetters;
    private final Serializer<TelemetryPoint> pointSerializer;
    private final Serializer<ModelRelease> releaseSerializer;
    private final List<ChannelScore> scored = new ArrayList<>();
    private final List<AnomalyEvent> events = new ArrayList<>();
    private final List<DeadLetter> letters = new ArrayList<>();

    /** @param settings extra settings, keys without the {@code vigil.} prefix */
    public ScoringFixture(Path stateDir, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("vigil.schema.registry.url", "mock://" + scope);
        all.put("vigil.state.dir", stateDir.toString());
        settings.forEach((k, v) -> all.put("vigil." + k, v));
        TopologyConfig config = TopologyConfig.from(Settings.of(all));
        driver = new TopologyTestDriver(VigilTopology.build(config, meters), config.streamsProperties());
        telemetry = driver.createInputTopic(Topics.TELEMETRY.name(), new ByteArraySerializer(), new ByteArraySerializer());
        models = driver.createInputTopic(Topics.MODELS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic(Topics.SCORES.name(), new StringDeserializer(),
                AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false).deserializer());
        anomalies = driver.createOutputTopic(Topics.ANOMALIES.name(), new StringDeserializer(),
                AvroSerde.configured(AnomalyEvent.class, config.serdeConfig(), false).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), new ByteArrayDeserializer(),
                AvroSerde.configured(DeadLetter.class, config.serdeConfig(), false).deserializer());
        pointSerializer = AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).serializer();
        releaseSerializer = AvroSerde.configured(ModelRelease.class, config.serdeConfig(), false).serializer();
    }

    public void send(String channel, long time, double value) {
        TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(channel).setSource("test")
                .setEventTime(Instant.ofEpochMilli(time)).setValue(value).build();
        telemetry.pipeInput(key(channel), pointSerializer.serialize(Topics.TELEMETRY.name(), point), time);
    }

    /** Sends {@code point} under {@code key}, which may differ from its channel, be empty or be null. */
    public void send(byte[] key, TelemetryPoint point) {
        sendRaw(key, pointSerializer.serialize(Topics.TELEMETRY.name(), point));
    }

    /** Sends bytes as they are to the telemetry topic. */
    public void sendRaw(byte[] key, byte[] value) {
        telemetry.pipeInput(key, value);
    }

    public void publish(ModelRelease release) {
        publish(release.getChannelId(), release);
    }

    public void publish(String channel, ModelRelease release) {
        models.pipeInput(channel == null ? null : key(channel), releaseSerializer.serialize(Topics.MODELS.name(), release));
    }

    public void publishRaw(String channel, byte[] value) {
        models.pipeInput(channel == null ? null : key(channel), value);
    }

    private static byte[] key(String channel) {
        return channel.getBytes(StandardCharsets.UTF_8);
    }

    /** Every score so far, in order. */
    public List<ChannelScore> scores() {
        scored.addAll(scores.readValuesToList());
        return scored;
    }

    /** Every anomaly event so far, in order. */
    public List<AnomalyEvent> anomalies() {
        events.addAll(anomalies.readValuesToList());
        return events;
    }

    public List<DeadLetter> deadLetters() {
        letters.addAll(deadLetters.readValuesToList());
        return letters;
    }

    /** The channel's state as a scorer would load it now from the stores (record, then tail). */
    public ChannelStateView channel(String channel) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(VigilTopology.CHANNEL_STATE_STORE);
        byte[] record = store.get(channel);
        if (record == null) {
            return null;
        }
        ChannelModels champions = new ChannelModels(driver.getKeyValueStore(VigilTopology.MODEL_STORE),
                driver.getKeyValueStore(VigilTopology.MODEL_PARAMETERS_STORE),
                new ModelCache(1, LstmParameters.Precision.FLOAT32, new SimpleMeterRegistry()));
        KeyValueStore<String, byte[]> window = driver.getKeyValueStore(VigilTopology.WINDOW_STORE);
        return ChannelStateView.load(channel, record, champions.find(channel), window::get);
    }

    /** Keys of the window store that belong to {@code channel}: its chunks and tail entries. */
    public List<String> windowKeys(String channel) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(VigilTopology.WINDOW_STORE);
        List<String> keys = new ArrayList<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> {
                if (kv.key.startsWith(channel + "/")) {
                    keys.add(kv.key);
                }
            });
        }
        return keys;
    }

    /** The channel's champion as the model store holds it, or null. */
    public ModelDescriptor descriptor(String channel) {
        byte[] bytes = this.<byte[]>store(VigilTopology.MODEL_STORE).get(channel);
        return bytes == null ? null : ModelDescriptor.fromBytes(bytes);
    }

    public <T> KeyValueStore<String, T> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** The count of a counter, 0 if it was never registered. */
    public double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
