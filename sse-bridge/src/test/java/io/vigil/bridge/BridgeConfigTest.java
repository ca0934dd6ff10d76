package io.vigil.bridge;

import io.vigil.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BridgeConfigTest {

    @Test
    void defaultsAreLocalAndLoopbackOnly() {
        BridgeConfig config = BridgeConfig.from(Settings.of(Map.of()));
        assertEquals(new BridgeConfig("localhost:9092", "http://localhost:8081", "vigil.scores", "127.0.0.1",
                8080, 1000, Duration.ofSeconds(15)), config);
    }

    @Test
    void everyKeyCanBeOverridden() {
        BridgeConfig config = BridgeConfig.from(Settings.of(Map.of(
                "vigil.bootstrap.servers", "kafka:29092",
                "vigil.schema.registry.url", "mock://t",
                "vigil.bridge.topic", "other.scores",
                "vigil.bridge.host", "0.0.0.0",
                "vigil.bridge.port", "9999",
                "vigil.bridge.client.queue.size", "50",
                "vigil.bridge.keepalive.seconds", "3")));
        assertEquals(new BridgeConfig("kafka:29092", "mock://t", "other.scores", "0.0.0.0", 9999, 50,
                Duration.ofSeconds(3)), config);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> BridgeConfig.from(Settings.of(Map.of("vigil.bridge.port", "70000"))));
        assertThrows(IllegalArgumentException.class,
                () -> BridgeConfig.from(Settings.of(Map.of("vigil.bridge.client.queue.size", "0"))));
        assertThrows(IllegalArgumentException.class,
                () -> BridgeConfig.from(Settings.of(Map.of("vigil.bridge.keepalive.seconds", "0"))));
        assertThrows(IllegalArgumentException.class,
                () -> BridgeConfig.from(Settings.of(Map.of("vigil.bridge.port", "http"))));
    }
}
