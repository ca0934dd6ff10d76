package io.vigil.local.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBrokerTest {

    private static final String TOPIC = "local-broker-test";

    @TempDir
    Path dir;

    @Test
    void servesRecordsAndResumesOverTheSameDataDirWithoutLeavingAProcess() throws Exception {
        LocalBroker.Options options = options(0);

        long firstPid;
        try (LocalBroker broker = LocalBroker.start(options)) {
            firstPid = broker.pid();
            report("first start (format + start)", broker);
            createTopicAndAwaitLeader(broker.bootstrapServers());
            produce(broker.bootstrapServers(), "sensor-1", "42.0");
            assertEquals(List.of("sensor-1=42.0"), readAll(broker.bootstrapServers(), 1));
        }
        assertFalse(alive(firstPid), "broker JVM still running after close()");

        LocalBroker again = LocalBroker.start(options);
        try {
            report("second start (resume)", again);
            assertNotEquals(firstPid, again.pid());
            assertEquals(List.of("sensor-1=42.0"), readAll(again.bootstrapServers(), 1),
                    "the record written before the restart is read back");
        } finally {
            again.close();
            again.close(); // idempotent
        }
        assertFalse(alive(again.pid()), "broker JVM still running after close()");

        String log = Files.readString(options.logFile());
        assertEquals(1, count(log, "Formatting dynamic metadata voter directory"), "formatted once, then resumed");
        assertEquals(2, count(log, "Kafka Server started"), "start lines are kept in the broker log");
        assertFalse(log.contains("KafkaConfig values"), "Kafka's INFO noise is filtered out of the broker log");
    }

    @Test
    void failsFastWithTheEndOfTheLogWhenTheBrokerJvmExits() throws Exception {
        // Holding the broker's port makes Kafka fail to bind and exit during start-up.
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LocalBroker.start(options(taken.getLocalPort())));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("failed start reported after %d ms: %s%n", millis, e.getMessage());
            // The exit is noticed (a start that ran into its timeout says "did not answer in time").
            assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
            assertTrue(e.getMessage().contains("Socket server failed to bind to 127.0.0.1:" + taken.getLocalPort()),
                    "the cause logged before the broker's shutdown lines is in the message: " + e.getMessage());
        }
    }

    private LocalBroker.Options options(int port) {
        LocalBroker.Options defaults = LocalBroker.Options.defaults(dir);
        return new LocalBroker.Options(dir, port, 0, dir.resolve("logs/broker.log"),
                defaults.classpath(), defaults.javaExecutable());
    }

    private static void createTopicAndAwaitLeader(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC)
                    .partitions().get(0).leader() == null) {
                assertTrue(System.nanoTime() < deadline, "no leader for " + TOPIC);
                Thread.sleep(100);
            }
        }
    }

    private static void produce(String bootstrap, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the topic from the beginning until {@code expected} records arrived or 20 s passed. */
    private static List<String> readAll(String bootstrap, int expected) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (records.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r.key() + "=" + r.value());
                }
            }
            return records;
        }
    }

    private static void report(String what, LocalBroker broker) throws IOException {
        System.out.printf("%s: ready in %d ms, pid %d, %s%n", what, broker.startupTime().toMillis(), broker.pid(),
                Files.readAllLines(Path.of("/proc", Long.toString(broker.pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: n/a"));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
