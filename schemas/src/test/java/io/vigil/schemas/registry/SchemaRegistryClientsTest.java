package io.vigil.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

    private final FakeRegistryServer server = FakeRegistryServer.start();

    @AfterEach
    void stop() {
        server.close();
        MockSchemaRegistry.dropScope("clients-test");
    }

    @Test
    void urlIsRequired() {
        ConfigException e = assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of()));
        assertTrue(e.getMessage().contains(RegistryConfig.SCHEMA_REGISTRY_URL), e.getMessage());
        assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, " , ")));
    }

    @Test
    void mockUrlsGiveTheScope() {
        assertSame(MockSchemaRegistry.scope("clients-test"),
                SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "mock://clients-test")));
        assertThrows(ConfigException.class,
                () -> SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "mock://")));
        assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(
                Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "mock://a," + server.url())));
    }

    @Test
    void restClientsAreSharedPerUrlAndCredentials() {
        SchemaRegistryClient a = SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, server.url()));
        assertInstanceOf(RestSchemaRegistryClient.class, a);
        assertSame(a, SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, List.of(server.url()),
                "unrelated.key", "x")));
        assertNotSame(a, SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, server.url(),
                RegistryConfig.BASIC_AUTH_USER_INFO, "u:p")));
    }

    @Test
    void userInfoIsTheDefaultSourceWhenSet() {
        SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "http://url:creds@127.0.0.1:" + server.port(),
                RegistryConfig.BASIC_AUTH_USER_INFO, "carol:pw")).subjects();
        assertEquals(basic("carol:pw"), server.lastCall().header("Authorization"));
    }

    @Test
    void urlSourceUsesTheUrlsCredentials() {
        SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "http://dave:pw@127.0.0.1:" + server.port(),
                RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL",
                RegistryConfig.BASIC_AUTH_USER_INFO, "ignored:here")).subjects();
        assertEquals(basic("dave:pw"), server.lastCall().header("Authorization"));
    }

    @Test
    void badAuthSettingsAreConfigErrorsWithoutTheSecret() {
        ConfigException missing = assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of(
                RegistryConfig.SCHEMA_REGISTRY_URL, server.url(), RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO")));
        assertTrue(missing.getMessage().contains(RegistryConfig.BASIC_AUTH_USER_INFO), missing.getMessage());
        ConfigException noColon = assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of(
                RegistryConfig.SCHEMA_REGISTRY_URL, server.url(), RegistryConfig.BASIC_AUTH_USER_INFO, "topsecret")));
        assertFalse(noColon.getMessage().contains("topsecret"), noColon.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of(
                RegistryConfig.SCHEMA_REGISTRY_URL, server.url(), RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT")));
        assertTrue(unknown.getMessage().contains(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE), unknown.getMessage());
    }

    @Test
    void badUrlsAndRetrySettingsAreConfigErrors() {
        ConfigException url = assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(
                Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, "http://u:hunter2@/nohost")));
        assertTrue(url.getMessage().contains(RegistryConfig.SCHEMA_REGISTRY_URL), url.getMessage());
        assertFalse(url.getMessage().contains("hunter2"), url.getMessage());
        assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of(
                RegistryConfig.SCHEMA_REGISTRY_URL, server.url(), RegistryConfig.RETRY_ATTEMPTS, "0")));
    }

    @Test
    void retrySettingsAreApplied() {
        server.respondNext(5, 500, "{\"error_code\":50001,\"message\":\"x\"}");
        SchemaRegistryClient client = SchemaRegistryClients.create(Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, server.url(),
                RegistryConfig.RETRY_ATTEMPTS, "2", RegistryConfig.RETRY_BACKOFF_MS, 1));
        assertThrows(RegistryException.class, client::subjects);
        assertEquals(2, server.calls().size());
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
