package io.vigil.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vigil.schemas.registry.SchemaRegistryClients;
import io.vigil.tls.TlsContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry settings every service reads reach a real HTTPS registry endpoint with basic auth: the
 * trust store and credentials come from {@code VIGIL_SCHEMA_REGISTRY_*} settings (secrets from files),
 * and a wrong password or an untrusted certificate is one refusal, not retries.
 */
class RegistryConnectionTest {

    private static final String PASSWORD = "changeit-" + System.nanoTime();

    @TempDir
    Path dir;

    private HttpsServer server;
    private String url;
    private Path trustStore;

    @BeforeEach
    void serveHttpsWithBasicAuth() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        Path cert = dir.resolve("server.crt");
        keytool("-exportcert", "-alias", "registry", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        trustStore = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.of(
                new TlsContexts.Store("test key store", keyStore.toString(), "PKCS12", PASSWORD), null, null)));
        String expected = "Basic " + Base64.getEncoder().encodeToString("vigil:r3g-secret".getBytes(StandardCharsets.UTF_8));
        server.createContext("/subjects", exchange -> {
            boolean allowed = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (allowed ? "[]" : "{\"error_code\":401,\"message\":\"Unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aServiceReachesAnHttpsRegistryWithBasicAuthFromItsSettings() throws IOException {
        ClientSettings clients = clients("vigil:r3g-secret", true);
        ConnectionCheck.registry(SchemaRegistryClients.create(clients.registry().serdeConfig()), url);
        assertTrue(SchemaRegistryClients.create(clients.registry().serdeConfig()).subjects().isEmpty());
    }

    @Test
    void aWrongRegistryPasswordIsOneRefusalWithoutTheSecret() throws IOException {
        ClientSettings clients = clients("vigil:wrong-secret", true);
        ConnectionCheck.Failed e = assertThrows(ConnectionCheck.Failed.class,
                () -> ConnectionCheck.registry(SchemaRegistryClients.create(clients.registry().serdeConfig()), url));
        assertEquals(ConnectionCheck.EXIT_REFUSED, e.exitStatus());
        assertTrue(e.getMessage().contains("refused the credentials (HTTP 401"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret"), e.getMessage());
    }

    @Test
    void anUntrustedRegistryCertificateIsOneRefusalNamingTheTrustStoreSetting() throws IOException {
        ClientSettings clients = clients("vigil:r3g-secret", false);
        ConnectionCheck.Failed e = assertThrows(ConnectionCheck.Failed.class,
                () -> ConnectionCheck.registry(SchemaRegistryClients.create(clients.registry().serdeConfig()), url));
        assertEquals(ConnectionCheck.EXIT_REFUSED, e.exitStatus(), e.getMessage());
        assertTrue(e.getMessage().contains("schema.registry.ssl.truststore.location"), e.getMessage());
    }

    private ClientSettings clients(String userInfo, boolean trusted) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_SCHEMA_REGISTRY_URL", url);
        env.put("VIGIL_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE",
                Files.writeString(dir.resolve("user-info-" + userInfo.hashCode()), userInfo + "\n").toString());
        if (trusted) {
            env.put("VIGIL_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", trustStore.toString());
            env.put("VIGIL_SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE", "PKCS12");
            env.put("VIGIL_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD_FILE",
                    Files.writeString(dir.resolve("trust-password"), PASSWORD).toString());
        }
        return ClientSettings.from(new Settings(new Properties(), env));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String[] command = new String[args.length + 1];
        command[0] = keytool;
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
