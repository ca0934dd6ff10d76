package io.vigil.topology.it;

import io.vigil.config.Settings;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import io.vigil.topology.TopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft broker inside the test JVM, set up the way it works on a single node:
 * production metadata version, replication factors of 1 and no initial rebalance delay (without
 * these Streams sits in REBALANCING forever).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private boolean closed;

    public EmbeddedKafka() throws Exception {
        this(Map.of());
    }

    /** A broker with {@code brokerSettings} on top of the single-node ones. */
    public EmbeddedKafka(Map<String, String> brokerSettings) throws Exception {
        Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                .filter(f -> f != Feature.KRAFT_VERSION)
                .collect(Collectors.toMap(Feature::featureName,
                        f -> f.defaultLevel(MetadataVersion.latestProduction())));
        BootstrapMetadata bootstrap = BootstrapMetadata.fromVersions(
                MetadataVersion.latestProduction(), features, "vigil integration test");
        TestKitNodes nodes = new TestKitNodes.Builder(bootstrap)
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        brokerSettings.forEach(builder::setConfigProp);
        cluster = builder
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates Vigil's topics with {@code partitions} partitions and waits for their leaders. */
    public void createTopics(int partitions) throws Exception {
        try (Admin admin = admin()) {
            new TopicProvisioner(admin).ensure(Topics.all(), partitions, (short) 1, Duration.ofSeconds(30));
        }
    }

    public Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }

    /** A producer of raw bytes as Vigil's producers send: idempotent, acks=all. */
    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers(), "enable.idempotence", true,
                "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * The scorer's configuration on this broker, every other setting at its default: the schema
     * registry is the in-memory one of {@code registryScope}, the application id a fresh one.
     */
    public TopologyConfig scorerConfig(Path stateDir, String registryScope) {
        return TopologyConfig.from(Settings.of(Map.of(
                "vigil.bootstrap.servers", bootstrapServers(),
                "vigil.schema.registry.url", "mock://" + registryScope,
                "vigil.state.dir", stateDir.toString(),
                "vigil.application.id", "vigil-it-" + UUID.randomUUID())));
    }

    /**
     * The values of {@code topic} from its start, read as the scorer's output is meant to be read
     * (read_committed), until {@code expected} arrived or 90 s passed, then {@code settle} longer so
     * that extras (a duplicate would be one) are caught too.
     */
    public <T> List<T> readCommitted(String topic, Deserializer<T> values, int expected, Duration settle) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("group.id", "reader-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], T> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 90_000;
            long settleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], T> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.currentTimeMillis() + settle.toMillis();
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        if (!closed) {
            closed = true;
            cluster.close();
        }
    }
}
