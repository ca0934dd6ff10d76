package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {

    @TempDir
    Path dir;

    @Test
    void kafkaPropertiesPassThroughFromEnvironmentAndSystemPropertiesWithSystemPropertiesWinning() {
        Properties props = new Properties();
        props.put("vigil.kafka.sasl.mechanism", "SCRAM-SHA-512");
        Settings s = new Settings(props, Map.of(
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "VIGIL_KAFKA_SASL_MECHANISM", "PLAIN",
                "VIGIL_KAFKA_PRODUCER_COMPRESSION_TYPE", "zstd",
                "VIGIL_KAFKA_CONSUMER_FETCH_MAX_BYTES", "1000",
                "VIGIL_KAFKA_ADMIN_RETRIES", "2",
                "VIGIL_BOOTSTRAP_SERVERS", "kafka:9093"));
        ClientSettings c = ClientSettings.from(s);
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"), c.kafka());
        assertEquals(Map.of("compression.type", "zstd"), c.producer());
        assertEquals("zstd", c.producer(Map.of("compression.type", "lz4", "acks", "all")).get("compression.type"),
                "the operator's pass-through wins over the service's own choice");
        assertEquals("all", c.producer(Map.of("acks", "all")).get("acks"));
        assertEquals("kafka:9093", c.consumer(Map.of()).get("bootstrap.servers"));
        assertEquals("1000", c.consumer(Map.of()).get("fetch.max.bytes"));
        assertNull(c.producer(Map.of()).get("fetch.max.bytes"), "a consumer override stays on consumers");
        assertEquals("2", c.admin(Map.of()).get("retries"));
        Map<String, Object> streams = c.streams();
        assertEquals("SASL_SSL", streams.get("security.protocol"));
        assertEquals("zstd", streams.get("producer.compression.type"));
        assertEquals("1000", streams.get("consumer.fetch.max.bytes"));
        assertEquals("2", streams.get("admin.retries"));
    }

    @Test
    void secretsComeFromFilesWithoutTheirTrailingNewlineAndNeverShowInToString() throws IOException {
        Path jaas = Files.writeString(dir.resolve("jaas"),
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p4ss\";\n");
        Path pw = Files.writeString(dir.resolve("pw"), "trust-s3cret\n");
        Path info = Files.writeString(dir.resolve("info"), "reg:r3g-pw\n");
        Settings s = new Settings(new Properties(), Map.of(
                "VIGIL_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString(),
                "VIGIL_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", pw.toString(),
                "VIGIL_SCHEMA_REGISTRY_URL", "https://user:url-pw@registry:8081",
                "VIGIL_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE", info.toString(),
                "VIGIL_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_FILE", pw.toString()));
        ClientSettings c = ClientSettings.from(s);
        assertTrue(c.kafka().get("sasl.jaas.config").endsWith("password=\"p4ss\";"));
        assertEquals("trust-s3cret", c.kafka().get("ssl.truststore.password"));
        assertEquals("reg:r3g-pw", c.registry().userInfo());
        Map<String, Object> serde = c.registry().serdeConfig();
        assertEquals("USER_INFO", serde.get("basic.auth.credentials.source"));
        assertEquals("reg:r3g-pw", serde.get("basic.auth.user.info"));
        assertEquals("trust-s3cret", serde.get("schema.registry.ssl.truststore.password"));
        String shown = c.toString();
        for (String secret : new String[] {"p4ss", "trust-s3cret", "r3g-pw", "url-pw"}) {
            assertFalse(shown.contains(secret), secret + " shown in " + shown);
        }
        assertTrue(shown.contains("https://***@registry:8081"), shown);
    }

    @Test
    void aKafkaPropertyWhoseOwnNameEndsInFileIsPassedAsIs() {
        // Kafka 4.1+ has sasl.oauthbearer.assertion.file: a path the client reads itself.
        Settings s = new Settings(new Properties(), Map.of("VIGIL_KAFKA_SASL_OAUTHBEARER_ASSERTION_FILE", "/var/run/jwt"));
        Map<String, String> kafka = ClientSettings.from(s).kafka();
        if (org.apache.kafka.clients.producer.ProducerConfig.configNames().contains("sasl.oauthbearer.assertion.file")) {
            assertEquals(Map.of("sasl.oauthbearer.assertion.file", "/var/run/jwt"), kafka);
        } else {
            assertThrows(UncheckedIOException.class, () -> ClientSettings.from(s));
        }
    }

    @Test
    void aDirectValueWinsOverAFileAndAnUnreadableFileNamesTheSettingNotTheSecret() {
        Settings both = new Settings(new Properties(), Map.of(
                "VIGIL_KAFKA_SSL_KEY_PASSWORD", "direct",
                "VIGIL_KAFKA_SSL_KEY_PASSWORD_FILE", dir.resolve("absent").toString()));
        assertEquals("direct", ClientSettings.from(both).kafka().get("ssl.key.password"));
        Settings missing = new Settings(new Properties(), Map.of("VIGIL_BRIDGE_AUTH_TOKEN_FILE", dir.resolve("absent").toString()));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> missing.find("bridge.auth.token"));
        assertTrue(e.getMessage().contains("bridge.auth.token"), e.getMessage());
    }

    @Test
    void unknownSettingsAreThoseNoReaderAskedFor() {
        Properties props = new Properties();
        props.put("vigil.metrics.port", "1");
        props.put("vigil.metrcs.port", "1");
        Settings s = new Settings(props, Map.of(
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SSL",
                "VIGIL_STANDBY_REPLICAS", "1",
                "VIGIL_STANDBY_REPLICA", "1",
                "VIGIL_BRIDGE_AUTH_TOKEN_FILE", "/x",
                "PATH", "/bin"));
        ClientSettings.from(s);
        s.getInt("metrics.port", 0);
        s.getInt("standby.replicas", 0);
        s.find("bridge.auth.token.unused");
        assertEquals(java.util.Set.of("vigil.metrcs.port", "VIGIL_STANDBY_REPLICA", "VIGIL_BRIDGE_AUTH_TOKEN_FILE"),
                s.unknownKeys());
        assertEquals("0", s.keysRead().get("metrics.port"));
        assertEquals("localhost:9092", s.keysRead().get("bootstrap.servers"));
        assertTrue(s.keysRead().containsKey("kafka.*"));
    }

    @Test
    void secretsAreRecognisedByTheirKeys() {
        for (String key : new String[] {"sasl.jaas.config", "ssl.key.password", "ssl.keystore.key", "basic.auth.user.info",
                "bridge.auth.token", "schema.registry.ssl.truststore.password"}) {
            assertEquals(Secrets.HIDDEN, Secrets.shown(key, "x"), key);
        }
        assertEquals("SASL_SSL", Secrets.shown("security.protocol", "SASL_SSL"));
        assertEquals("a http://***@h:1/p and https://***@k", Secrets.maskUrls("a http://u:p@h:1/p and https://x@k"));
    }

    @Test
    void aPasswordWithASlashOrACharacterAUriRefusesNeverReachesAMessage() {
        assertEquals("https://***@reg:8081/x", Secrets.maskUrls("https://user:pa/ss@reg:8081/x"));
        ClientSettings bad = ClientSettings.local("127.0.0.1:1", "https://user:p^ss@reg:8081");
        ConnectionCheck.Failed e = assertThrows(ConnectionCheck.Failed.class, () -> ConnectionCheck.run(bad));
        assertEquals(ConnectionCheck.EXIT_REFUSED, e.exitStatus());
        assertFalse(e.getMessage().contains("p^ss"), e.getMessage());
    }

    @Test
    void anUnreadableRegistryTrustStoreIsARefusalWithTheSettingsName() {
        Settings s = new Settings(new Properties(), Map.of(
                "VIGIL_SCHEMA_REGISTRY_URL", "https://reg:8081",
                "VIGIL_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", dir.resolve("absent.p12").toString()));
        ConnectionCheck.Failed e = assertThrows(ConnectionCheck.Failed.class, () -> ConnectionCheck.run(ClientSettings.from(s)));
        assertEquals(ConnectionCheck.EXIT_REFUSED, e.exitStatus());
        assertTrue(e.getMessage().contains("schema.registry.ssl.truststore"), e.getMessage());
    }
}
