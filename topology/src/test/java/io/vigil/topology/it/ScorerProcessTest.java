package io.vigil.topology.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vigil.config.ConnectionCheck;
import io.vigil.schemas.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer as a supervisor sees it, in its own JVM against a real broker: its probes answer, it
 * exits non-zero when it can no longer process, and SIGTERM stops it within its close timeout.
 */
class ScorerProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(2);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void aScorerWhoseRegistryIsAwayAtStartExitsAtOnceWithTheUnreachableStatus() throws Exception {
        Process scorer = launch(freePort(), Map.of("schema.registry.url", "http://127.0.0.1:" + freePort()));
        try {
            assertTrue(scorer.waitFor(60, TimeUnit.SECONDS), "the scorer exits");
            assertEquals(ConnectionCheck.EXIT_UNREACHABLE, scorer.exitValue());
        } finally {
            scorer.destroyForcibly();
        }
        assertTrue(Files.readString(dir.resolve("scorer.log")).contains("schema registry http://127.0.0.1:"));
    }

    @Test
    void aScorerThatLosesItsRegistryGivesUpAfterItsFailureLimitAndExitsNonZero() throws Exception {
        int metrics = freePort();
        // Answers the start-up check, then goes away.
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/subjects", exchange -> {
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        Process scorer = launch(metrics, Map.of("schema.registry.url", "http://127.0.0.1:" + registry.getAddress().getPort(),
                "stream.thread.max.failures", "2"));
        try {
            awaitStatus(metrics, "/ready", 200);
            assertEquals(200, status(metrics, "/health"));
            registry.stop(0);
            // A well-framed record whose schema only the registry, now unreachable, could give.
            send(new byte[] {0, 0, 0, 0, 7, 2, 'c', 'h'});
            assertTrue(scorer.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the scorer exits");
            assertEquals(1, scorer.exitValue(), "a scorer that stopped processing exits non-zero");
        } finally {
            scorer.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("scorer.log"));
        assertTrue(log.contains("stream thread failed too often"), "says why it stopped");
    }

    @Test
    void sigtermClosesTheScorerWithinItsCloseTimeout() throws Exception {
        int metrics = freePort();
        Process scorer = launch(metrics, Map.of("schema.registry.url", "mock://process-test",
                "close.timeout.ms", "10000"));
        try {
            awaitStatus(metrics, "/ready", 200);
            String scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metrics + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            // What the alerts and the dashboard are built on (k8s monitoring pack).
            for (String name : List.of("vigil_build_info{service=\"scorer\"", "vigil_scores_total{detector=\"lstm\"",
                    "vigil_anomaly_segments_opened_total", "vigil_scoring_lag_seconds_bucket",
                    "vigil_node_transitions_total{status=\"faulted\"", "vigil_streams_state{state=\"running\"} 1.0",
                    "vigil_streams_threads{state=\"running\"} 1.0", "jvm_gc_", "jvm_threads_live_threads",
                    "process_cpu_usage", "kafka_stream_")) {
                assertTrue(scraped.contains(name), name + " in\n" + scraped);
            }
            long start = System.nanoTime();
            scorer.destroy();
            assertTrue(scorer.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the scorer");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 15_000, "closed in " + ms + " ms, within the 10 s close timeout and a JVM exit");
            // 143: terminated by SIGTERM after the shutdown hook ran, not killed and not failed.
            assertEquals(143, scorer.exitValue());
        } finally {
            scorer.destroyForcibly();
        }
        assertTrue(Files.readString(dir.resolve("scorer.log")).contains("scorer closed"));
    }

    private Process launch(int metricsPort, Map<String, String> settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro",
                "-Dvigil.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dvigil.application.id=scorer-process-" + UUID.randomUUID(),
                "-Dvigil.state.dir=" + dir.resolve("state"),
                "-Dvigil.metrics.port=" + metricsPort));
        settings.forEach((k, v) -> command.add("-Dvigil." + k + "=" + v));
        command.add("io.vigil.topology.ScorerApp");
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("scorer.log").toFile()).start();
    }

    private static void send(byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), "ch".getBytes(StandardCharsets.UTF_8), value));
        }
    }

    private static void awaitStatus(int port, String path, int expected) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = status(port, path);
            if (last == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " answered " + last + ", not " + expected + ", within " + DEADLINE);
    }

    private static int status(int port, String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
