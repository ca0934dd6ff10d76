package io.vigil.local.registry;

import io.vigil.config.ClientSettings;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable storage: a compacted, single-partition Kafka topic of JSON key/value strings.
 * One partition because the order of records is the order of registrations; compacted because only
 * the latest record per key matters, and a topic with time-based retention would lose schemas after
 * seven days (so an existing topic that is not compacted is refused).
 */
final class SchemaLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);

    private final ClientSettings clients;
    private final String topic;
    private final Duration timeout;
    private final KafkaProducer<String, String> producer;

    private SchemaLog(ClientSettings clients, String topic, Duration timeout, KafkaProducer<String, String> producer) {
        this.clients = clients;
        this.topic = topic;
        this.timeout = timeout;
        this.producer = producer;
    }

    /** Creates the topic if it is missing and waits until its partition has a leader. */
    static SchemaLog open(ClientSettings clients, String topic, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(clients.admin(Map.of()))) {
            ensureTopic(admin, topic, deadline);
        }
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-schema-registry");
        return new SchemaLog(clients, topic, timeout,
                new KafkaProducer<>(clients.producer(p), new StringSerializer(), new StringSerializer()));
    }

    /** Feeds every record from the beginning up to the current end to {@code sink}, in order. */
    void replay(BiConsumer<String, String> sink) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-schema-registry-reader");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(clients.consumer(p), new StringDeserializer(),
                new StringDeserializer())) {
            // Assigned, not subscribed: no consumer group, so nothing to coordinate or commit.
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to offset " + end + " in " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(record.key(), record.value());
                }
            }
        }
    }

    /** Writes one record and returns once the broker has acknowledged it on all in-sync replicas. */
    void append(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw RegistryException.storeError("write to " + topic + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("interrupted while writing to " + topic, e);
        }
    }

    String topic() {
        return topic;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static void ensureTopic(Admin admin, String topic, long deadline) throws InterruptedException {
        NewTopic spec = new NewTopic(topic, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(spec)).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            log.debug("created topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + topic + ": " + e.getCause(), e);
            }
            checkExistingTopic(admin, topic, deadline);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topic " + topic + " in time", e);
        }
        awaitLeader(admin, topic, deadline);
    }

    private static void checkExistingTopic(Admin admin, String topic, long deadline) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            String policy = admin.describeConfigs(List.of(resource)).all()
                    .get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
                    .get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
                throw new IllegalStateException("topic " + topic + " has cleanup.policy=" + policy
                        + "; the schema registry needs 'compact' or it would lose schemas to retention");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe topic " + topic + ": " + e, e);
        }
    }

    /** Producing before the new partition has a leader was seen to fail and then lose data. */
    private static void awaitLeader(Admin admin, String topic, long deadline) throws InterruptedException {
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().size() != 1) {
                    throw new IllegalStateException("topic " + topic + " has " + description.partitions().size()
                            + " partitions; the schema registry needs exactly 1 to keep registrations in order");
                }
                if (description.partitions().get(0).leader() != null && !description.partitions().get(0).leader().isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("could not describe topic " + topic + ": " + e.getCause(), e);
                }
            } catch (TimeoutException e) {
                // fall through to the deadline check
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no leader in time");
            }
            Thread.sleep(100);
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
