package io.vigil.local.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {

    private static final String TOPIC = "local-cluster-test";

    @TempDir
    Path dir;

    @Test
    void threeNodesKeepAcceptingWritesWithOneKilledAndTheKilledNodeRejoinsOnItsPortsAndData() throws Exception {
        long t0 = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults(dir, 3), Duration.ofSeconds(90))) {
            System.out.printf("3-node cluster ready in %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000,
                    cluster.bootstrapServers());
            String bootstrap = cluster.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                // Replication 3 and min.insync.replicas 2 come from the nodes' defaults.
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
                TopicPartitionInfo p = awaitLeader(admin);
                assertEquals(3, p.replicas().size());
                String minIsr = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, TOPIC)))
                        .all().get().values().iterator().next().get("min.insync.replicas").value();
                assertEquals("2", minIsr);

                try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                    producer.send(new ProducerRecord<>(TOPIC, "k", "before")).get(30, TimeUnit.SECONDS);
                    int leader = p.leader().id();
                    int port = cluster.port(leader);
                    long pid = cluster.node(leader).pid();
                    cluster.kill(leader);
                    assertFalse(cluster.isAlive(leader));
                    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
                    // acks=all with two of three replicas in sync still succeeds.
                    producer.send(new ProducerRecord<>(TOPIC, "k", "during")).get(60, TimeUnit.SECONDS);

                    cluster.restart(leader, Duration.ofSeconds(60));
                    assertTrue(cluster.isAlive(leader));
                    assertEquals(port, cluster.port(leader), "same port after the restart");
                    assertTrue(cluster.awaitFullyReplicated(Duration.ofSeconds(60)), "the restarted node rejoins the ISR");
                    producer.send(new ProducerRecord<>(TOPIC, "k", "after")).get(30, TimeUnit.SECONDS);
                }
            }
            assertEquals(List.of("before", "during", "after"), readAll(bootstrap, 3));
            String log = java.nio.file.Files.readString(dir.resolve("node-1.log"));
            assertTrue(log.contains("Kafka Server started"), "each node logs to its own file");
        }
    }

    private static TopicPartitionInfo awaitLeader(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            TopicPartitionInfo p = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0);
            if (p.leader() != null && p.isr().size() == 3) {
                return p;
            }
            assertTrue(System.nanoTime() < deadline, "no leader with a full ISR for " + TOPIC);
            Thread.sleep(100);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true),
                new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(String bootstrap, int expected) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }
}
