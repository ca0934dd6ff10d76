package io.vigil.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.bridge.kafka.Decoders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseBridgeTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void withoutABrokerItServesAndSaysStartingAndStopsPromptly() throws Exception {
        BridgeConfig config = BridgeConfig.local("127.0.0.1:" + unusedPort(), "mock://unused")
                .withKafkaLookupTimeout(Duration.ofSeconds(60));
        SseBridge bridge = SseBridge.start(config, new Decoders(never(), never(), never(), never()));
        try {
            assertEquals("http://127.0.0.1:" + bridge.port() + "/", bridge.url());

            HttpResponse<String> health = get(bridge, "/health");
            assertEquals(503, health.statusCode());
            JsonNode body = new ObjectMapper().readTree(health.body());
            assertEquals("starting", body.get("status").textValue());
            assertEquals(0, body.get("partitions").intValue());
            assertEquals(0, body.get("lag").intValue());
            assertTrue(body.get("detail").textValue().length() > 0);
            assertTrue(!health.body().contains("ready"), "the local stack waits for the word ready");

            String metrics = get(bridge, "/metrics").body();
            for (String name : List.of("vigil_bridge_clients", "vigil_bridge_events_received_total",
                    "vigil_bridge_events_published_total", "vigil_bridge_events_sent_total",
                    "vigil_bridge_events_dropped_total", "vigil_bridge_decode_failures_total",
                    "vigil_bridge_queue_depth", "vigil_bridge_consumer_lag", "vigil_bridge_resumes_total",
                    "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage",
                    "vigil_build_info{service=\"sse-bridge\"")) {
                assertTrue(metrics.contains(name), name + " in\n" + metrics);
            }
            assertEquals(200, get(bridge, "/").statusCode());
            assertEquals(200, get(bridge, "/api/channels").statusCode());
            awaitConsumerCreated();
            // The feed's consumer exists now, and its own metrics are bound (right after it) while it lives.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!get(bridge, "/metrics").body().contains("kafka_consumer_") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(get(bridge, "/metrics").body().contains("kafka_consumer_"), "the consumer's metrics");
        } finally {
            long start = System.nanoTime();
            bridge.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // The feed is blocked in a 60 s metadata lookup; close must interrupt it, not wait it out.
            System.out.println("close took " + took);
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "close took " + took);
        }
        bridge.close(); // idempotent
    }

    private static <T> Deserializer<T> never() {
        return (topic, data) -> {
            throw new AssertionError("nothing to decode without a broker");
        };
    }

    private HttpResponse<String> get(SseBridge bridge, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A KafkaConsumer registers its app-info MBean when constructed: from then on it can block. */
    private static void awaitConsumerCreated() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("kafka.consumer:type=app-info,id=vigil-sse-bridge");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!jmx.isRegistered(name)) {
            assertTrue(System.nanoTime() < deadline, "consumer never created");
            Thread.sleep(10);
        }
    }

    private static int unusedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
