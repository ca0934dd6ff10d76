package io.vigil.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Schema POINT = TelemetryPoint.getClassSchema();

    private final FakeRegistryServer server = FakeRegistryServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private RestSchemaRegistryClient client(String... urls) {
        return new RestSchemaRegistryClient(List.of(urls),
                RestSchemaRegistryClient.Options.defaults().withRetries(3, Duration.ofMillis(10)));
    }

    @Test
    void registerPostsTheSchemaAsRegistryJson() throws Exception {
        int id = client(server.url()).register("telemetry-value", POINT);

        assertEquals(1, id);
        FakeRegistryServer.Call call = server.lastCall();
        assertEquals("POST", call.method());
        assertEquals("/subjects/telemetry-value/versions", call.rawPath());
        assertEquals(CONTENT_TYPE, call.header("Content-Type"));
        assertTrue(call.header("Accept").startsWith(CONTENT_TYPE), call.header("Accept"));
        JsonNode body = new ObjectMapper().readTree(call.body());
        assertEquals(POINT, new Schema.Parser().parse(body.get("schema").asText()));
        assertNull(call.header("Authorization"));
    }

    @Test
    void immutableAnswersAreCached() {
        RestSchemaRegistryClient client = client(server.url());
        int id = client.register("telemetry-value", POINT);
        assertEquals(id, client.register("telemetry-value", POINT));
        assertEquals(id, client.getId("telemetry-value", POINT));
        assertEquals(1, server.calls().size(), "register and lookup of a known pair are answered from the cache");

        assertEquals(POINT, client.getById(id));
        assertEquals("/schemas/ids/" + id, server.lastCall().rawPath());
        assertEquals("GET", server.lastCall().method());
        assertEquals(POINT, client.getById(id));
        assertEquals(2, server.calls().size(), "the second getById made no HTTP call");
    }

    @Test
    void lookupUsesTheSubjectEndpoint() {
        server.backend().register("telemetry-value", POINT);
        assertEquals(1, client(server.url()).getId("telemetry-value", POINT));
        assertEquals("POST", server.lastCall().method());
        assertEquals("/subjects/telemetry-value", server.lastCall().rawPath());
    }

    @Test
    void notFoundErrorsAreMappedAndNotRetried() {
        RestSchemaRegistryClient client = client(server.url());
        SchemaNotFoundException noSubject = assertThrows(SchemaNotFoundException.class,
                () -> client.getId("telemetry-value", POINT));
        assertEquals(40401, noSubject.errorCode());
        assertEquals(404, noSubject.httpStatus());
        assertTrue(noSubject.getMessage().contains("not found"), noSubject.getMessage());

        SchemaNotFoundException noId = assertThrows(SchemaNotFoundException.class, () -> client.getById(77));
        assertEquals(40403, noId.errorCode());
        assertFalse(noId.isTransient());
        assertEquals(2, server.calls().size(), "one request each: a 404 is never retried");

        server.backend().register("telemetry-value", POINT);
        assertEquals(1, client.getId("telemetry-value", POINT), "a miss is not cached: registered later, found later");
    }

    @Test
    void unprocessableIsNotRetriedAndNotNotFound() {
        server.respondNext(1, 422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
        RegistryException e = assertThrows(RegistryException.class, () -> client(server.url()).register("x-value", POINT));
        assertFalse(e instanceof SchemaNotFoundException);
        assertEquals(422, e.httpStatus());
        assertEquals(42201, e.errorCode());
        assertEquals(1, server.calls().size());
    }

    @Test
    void aProxys404PageIsNotAVerdictOnTheSchema() {
        server.respondNext(1, 404, "<html><body>Not Found</body></html>");
        RegistryException e = assertThrows(RegistryException.class, () -> client(server.url()).getById(1));
        assertFalse(e instanceof SchemaNotFoundException, "a wrong base URL must not dead-letter good records");
        assertEquals(404, e.httpStatus());
        assertEquals(RegistryException.NO_ERROR_CODE, e.errorCode());
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        server.respondNext(2, 500, "{\"error_code\":50001,\"message\":\"store timeout\"}");
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(List.of(server.url()),
                RestSchemaRegistryClient.Options.defaults().withRetries(3, Duration.ofMillis(50)));
        long started = System.nanoTime();
        assertEquals(1, client.register("telemetry-value", POINT));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(3, server.calls().size());
        assertTrue(elapsedMs >= 150, "waited 50 + 100 ms between attempts, took " + elapsedMs);
    }

    @Test
    void retriesAreBounded() {
        server.respondNext(10, 503, "{\"error_code\":50301,\"message\":\"no leader\"}");
        RegistryException e = assertThrows(RegistryException.class, () -> client(server.url()).getById(1));
        assertEquals(503, e.httpStatus());
        assertEquals(50301, e.errorCode());
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
        assertEquals(3, server.calls().size());
    }

    @Test
    void backoffDoublesAndIsCapped() {
        RestTransport transport = new RestTransport(List.of(RestTransport.Endpoint.of(server.url(), null)), 30,
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), null);
        assertEquals(Duration.ofMillis(100), transport.backoff(1));
        assertEquals(Duration.ofMillis(200), transport.backoff(2));
        assertEquals(Duration.ofMillis(400), transport.backoff(3));
        assertEquals(RestTransport.MAX_BACKOFF, transport.backoff(29));
    }

    @Test
    void slowAnswersTimeOutAndCountAsOutage() {
        server.delayNext(30_000); // interrupted when the server closes
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(List.of(server.url()),
                new RestSchemaRegistryClient.Options(null, 1, Duration.ZERO, Duration.ofSeconds(1), Duration.ofMillis(300), null));
        long started = System.nanoTime();
        RegistryException e = assertThrows(RegistryException.class, () -> client.getById(1));
        assertEquals(RegistryException.NO_STATUS, e.httpStatus());
        assertTrue(e.isTransient());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 10_000, "gave up at the request timeout, not the answer");
    }

    @Test
    void failsOverToTheNextUrlAndStaysThere() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                List.of(FakeRegistryServer.deadUrl(), server.url()),
                RestSchemaRegistryClient.Options.defaults().withRetries(1, Duration.ofSeconds(10)));
        assertEquals(1, client.register("telemetry-value", POINT), "one attempt sufficed: fail-over is immediate");
        assertEquals(List.of("telemetry-value"), client.subjects());
        assertEquals(2, server.calls().size());
    }

    @Test
    void noReachableUrlIsAnOutage() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                List.of(FakeRegistryServer.deadUrl(), FakeRegistryServer.deadUrl()),
                RestSchemaRegistryClient.Options.defaults().withRetries(2, Duration.ofMillis(1)));
        RegistryException e = assertThrows(RegistryException.class, () -> client.getById(1));
        assertFalse(e instanceof SchemaNotFoundException);
        assertEquals(RegistryException.NO_STATUS, e.httpStatus());
        assertTrue(e.isTransient());
    }

    @Test
    void basicAuthFromUserInfo() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(List.of(server.url()),
                RestSchemaRegistryClient.Options.defaults().withBasicAuth("alice:s3cr:et"));
        client.subjects();
        assertEquals(basic("alice:s3cr:et"), server.lastCall().header("Authorization"));
    }

    @Test
    void basicAuthFromTheUrlIsSentAsHeaderNotInTheUrl() {
        String url = "http://bob:p%40ss@127.0.0.1:" + server.port();
        client(url).subjects();
        assertEquals(basic("bob:p@ss"), server.lastCall().header("Authorization"));
        assertEquals("/subjects", server.lastCall().rawPath());
    }

    @Test
    void pathPrefixAndSubjectEncoding() {
        server.respondNext(1, 200, "{\"id\":7}");
        int id = client(server.url() + "/apis/ccompat/v7/").register("a b/c", POINT);
        assertEquals(7, id);
        assertEquals("/apis/ccompat/v7/subjects/a%20b%2Fc/versions", server.lastCall().rawPath());
    }

    @Test
    void latestAndSubjectsAreAskedFresh() {
        RestSchemaRegistryClient client = client(server.url());
        Schema v1 = MockSchemaRegistryTest.V1;
        client.register("r-value", v1);
        assertEquals(new RegisteredSchema("r-value", 1, 1, v1), client.getLatest("r-value"));
        assertEquals("/subjects/r-value/versions/latest", server.lastCall().rawPath());
        client.register("r-value", MockSchemaRegistryTest.V2);
        assertEquals(new RegisteredSchema("r-value", 2, 2, MockSchemaRegistryTest.V2), client.getLatest("r-value"));
        assertEquals(List.of("r-value"), client.subjects());
        assertEquals("GET", server.lastCall().method());
    }

    @Test
    void compatibilityQuestions() {
        RestSchemaRegistryClient client = client(server.url());
        assertTrue(client.isCompatible("r-value", MockSchemaRegistryTest.V2_NO_DEFAULT), "no versions yet (40401)");
        assertEquals("/compatibility/subjects/r-value/versions/latest", server.lastCall().rawPath());
        assertEquals("POST", server.lastCall().method());
        assertEquals(CONTENT_TYPE, server.lastCall().header("Content-Type"));
        client.register("r-value", MockSchemaRegistryTest.V1);
        assertTrue(client.isCompatible("r-value", MockSchemaRegistryTest.V2));
        assertFalse(client.isCompatible("r-value", MockSchemaRegistryTest.V2_NO_DEFAULT));
    }

    @Test
    void nonAvroSchemasAreRefusedAndNotCached() {
        server.respondNext(1, 200, "{\"schemaType\":\"JSON\",\"schema\":\"{}\"}");
        RestSchemaRegistryClient client = client(server.url());
        assertThrows(SchemaParseException.class, () -> client.getById(1));
        server.backend().register("x-value", POINT);
        assertEquals(POINT, client.getById(1));
    }

    @Test
    void garbageAnswerIsARegistryError() {
        server.respondNext(1, 200, "{\"idd\":1}");
        RegistryException e = assertThrows(RegistryException.class, () -> client(server.url()).register("x-value", POINT));
        assertTrue(e.getMessage().contains("\"id\""), e.getMessage());
    }

    @Test
    void badUrlsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> client("localhost:8081"));
        assertThrows(IllegalArgumentException.class, () -> client("ftp://registry:21"));
        assertThrows(IllegalArgumentException.class, () -> new RestSchemaRegistryClient(List.of(),
                RestSchemaRegistryClient.Options.defaults()));
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
