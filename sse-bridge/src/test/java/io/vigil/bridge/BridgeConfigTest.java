package io.vigil.bridge;

import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.ingest.IngestSettings;
import io.vigil.bridge.kafka.Lookback;
import io.vigil.bridge.views.ViewSettings;
import io.vigil.bridge.web.WebSettings;
import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BridgeConfigTest {

    @Test
    void defaultsAreLocalAndLoopbackOnly() {
        BridgeConfig config = BridgeConfig.from(Settings.of(Map.of()));
        assertEquals(new BridgeConfig(ClientSettings.local("localhost:9092", "http://localhost:8081"),
                new WebSettings("127.0.0.1", 8080, null, Set.of(), 100, 200, new PositionCodec.Limits(4096, 1024), 65_536),
                new HubSettings(1000, 20_000, Duration.ofSeconds(15), Duration.ofSeconds(60), 1000),
                new Lookback(1000, 10_000), 2, 1_000_000, new ViewSettings(100_000, 5000, 2000, 1000), Duration.ofSeconds(5),
                IngestSettings.OFF), config);
    }

    @Test
    void everyKeyCanBeOverridden() {
        BridgeConfig config = BridgeConfig.from(Settings.of(Map.ofEntries(
                Map.entry("vigil.bootstrap.servers", "kafka:29092"),
                Map.entry("vigil.schema.registry.url", "mock://t"),
                Map.entry("vigil.bridge.host", "0.0.0.0"),
                Map.entry("vigil.bridge.port", "9999"),
                Map.entry("vigil.bridge.auth.token", "0123456789abcdef0123"),
                Map.entry("vigil.bridge.cors.origins", "https://a.example, https://b.example"),
                Map.entry("vigil.bridge.filter.max.channels", "10"),
                Map.entry("vigil.bridge.filter.max.length", "64"),
                Map.entry("vigil.bridge.resume.id.max.length", "512"),
                Map.entry("vigil.bridge.resume.id.max.partitions", "32"),
                Map.entry("vigil.bridge.http.max.header.bytes", "8192"),
                Map.entry("vigil.bridge.client.queue.size", "50"),
                Map.entry("vigil.bridge.history.size", "0"),
                Map.entry("vigil.bridge.keepalive.seconds", "3"),
                Map.entry("vigil.bridge.client.stall.seconds", "9"),
                Map.entry("vigil.bridge.max.clients", "7"),
                Map.entry("vigil.bridge.lookback.scores", "5"),
                Map.entry("vigil.bridge.lookback.segments", "6"),
                Map.entry("vigil.bridge.resume.concurrency", "1"),
                Map.entry("vigil.bridge.resume.max.records", "100"),
                Map.entry("vigil.bridge.views.max.keys", "11"),
                Map.entry("vigil.bridge.views.segments", "12"),
                Map.entry("vigil.bridge.views.chart.points", "14"),
                Map.entry("vigil.bridge.views.chart.channels", "0"),
                Map.entry("vigil.bridge.kafka.lookup.seconds", "13"),
                Map.entry("vigil.bridge.ingest.enabled", "true"),
                Map.entry("vigil.bridge.ingest.token", "ingest-token-0123456789"),
                Map.entry("vigil.bridge.ingest.max.points", "15"),
                Map.entry("vigil.bridge.ingest.max.bytes", "16"),
                Map.entry("vigil.bridge.ingest.producers", "3"),
                Map.entry("vigil.bridge.ingest.kafka.timeout.ms", "1700"),
                Map.entry("vigil.bridge.ingest.retry.after.seconds", "18"),
                Map.entry("vigil.bridge.ingest.transactional.id.prefix", "ingest-19"))));
        assertEquals(new BridgeConfig(ClientSettings.local("kafka:29092", "mock://t"),
                new WebSettings("0.0.0.0", 9999, "0123456789abcdef0123", Set.of("https://a.example", "https://b.example"), 10, 64,
                        new PositionCodec.Limits(512, 32), 8192),
                new HubSettings(50, 0, Duration.ofSeconds(3), Duration.ofSeconds(9), 7),
                new Lookback(5, 6), 1, 100, new ViewSettings(11, 12, 14, 0), Duration.ofSeconds(13),
                new IngestSettings(true, "ingest-token-0123456789", 15, 16, 3, Duration.ofMillis(1700), Duration.ofSeconds(18),
                        "ingest-19")), config);
        assertFalse(config.toString().contains("0123456789abcdef0123"), "the token is never printed");
        assertFalse(config.toString().contains("ingest-token-0123456789"), "nor the ingest token");
    }

    @Test
    void aBridgeReachableFromTheNetworkNeedsATokenOrAnExplicitlyOpenDoor(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BridgeConfig.from(Settings.of(Map.of("vigil.bridge.host", "0.0.0.0"))));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("bridge.auth.token"), e.getMessage());
        assertEquals(null, BridgeConfig.from(Settings.of(Map.of("vigil.bridge.host", "0.0.0.0",
                "vigil.bridge.auth.open", "true"))).web().authToken());
        java.nio.file.Path token = java.nio.file.Files.writeString(dir.resolve("token"), "from-a-file-0123456789\n");
        BridgeConfig fromFile = BridgeConfig.from(new Settings(new java.util.Properties(),
                Map.of("VIGIL_BRIDGE_HOST", "0.0.0.0", "VIGIL_BRIDGE_AUTH_TOKEN_FILE", token.toString())));
        assertEquals("from-a-file-0123456789", fromFile.web().authToken());
        assertEquals(null, BridgeConfig.from(Settings.of(Map.of())).web().authToken(), "loopback needs no token");
    }

    @Test
    void rejectsNonsense() {
        for (Map<String, String> bad : new Map[] {
            Map.of("vigil.bridge.port", "70000"),
            Map.of("vigil.bridge.client.queue.size", "0"),
            Map.of("vigil.bridge.keepalive.seconds", "0"),
            Map.of("vigil.bridge.port", "http"),
            Map.of("vigil.bridge.max.clients", "0"),
            Map.of("vigil.bridge.auth.token", "short"),
            Map.of("vigil.bridge.auth.token", "has a space in it, and long"),
            Map.of("vigil.bridge.lookback.scores", "-1"),
            Map.of("vigil.bridge.resume.concurrency", "0"),
            Map.of("vigil.bridge.kafka.lookup.seconds", "0"),
            Map.of("vigil.bridge.resume.id.max.length", "0"),
            Map.of("vigil.bridge.resume.id.max.partitions", "-1"),
            Map.of("vigil.bridge.http.max.header.bytes", "100"),
            Map.of("vigil.bridge.views.segments", "0"),
            Map.of("vigil.bridge.views.chart.points", "-1")}) {
            assertThrows(IllegalArgumentException.class, () -> BridgeConfig.from(Settings.of(bad)), bad.toString());
        }
    }
}
