package io.vigil.local.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.local.broker.LocalBroker;
import io.vigil.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over HTTP against a real forked broker: one broker for the class, subjects per test. */
class LocalSchemaRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String V1 = """
            {"type":"record","name":"Reading","namespace":"io.vigil.test","fields":[
              {"name":"channel","type":"string"},{"name":"value","type":"double"}]}""";
    /** V1 laid out differently: same schema. */
    private static final String V1_REFORMATTED = "{ \"namespace\" : \"io.vigil.test\", \"name\" : \"Reading\", "
            + "\"type\" : \"record\", \"fields\" : [ {\"type\":\"string\", \"name\":\"channel\"}, "
            + "{\"name\":\"value\", \"type\":\"double\"} ] }";
    private static final String V2_WITH_DEFAULT = """
            {"type":"record","name":"Reading","namespace":"io.vigil.test","fields":[
              {"name":"channel","type":"string"},{"name":"value","type":"double"},
              {"name":"unit","type":"string","default":"none"}]}""";
    private static final String V2_WITHOUT_DEFAULT = """
            {"type":"record","name":"Reading","namespace":"io.vigil.test","fields":[
              {"name":"channel","type":"string"},{"name":"value","type":"double"},
              {"name":"unit","type":"string"}]}""";

    @TempDir
    static Path dir;

    private static LocalBroker broker;
    private static LocalSchemaRegistry registry;

    @BeforeAll
    static void startBrokerAndRegistry() {
        LocalBroker.Options defaults = LocalBroker.Options.defaults(dir);
        broker = LocalBroker.start(new LocalBroker.Options(dir, 0, 0, dir.resolve("broker.log"),
                defaults.classpath(), defaults.javaExecutable()));
        long t0 = System.nanoTime();
        registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
        System.out.printf("broker ready in %d ms; registry ready at %s in %d ms%n", broker.startupTime().toMillis(),
                registry.url(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void registersIdempotentlyWithGlobalIdsAndCountsVersionsPerSubject() throws Exception {
        int id = register("reg-value", V1).path("id").asInt();
        assertTrue(id > 0);
        assertEquals(id, register("reg-value", V1).path("id").asInt(), "same schema, same subject: same id");
        assertEquals(id, register("reg-value", V1_REFORMATTED).path("id").asInt(), "compared as parsed schemas, not text");
        assertEquals(id, register("reg-other-value", V1).path("id").asInt(), "same schema, other subject: same id");

        int id2 = register("reg-value", V2_WITH_DEFAULT).path("id").asInt();
        assertNotEquals(id, id2);
        assertEquals(List.of(1, 2), ints(call("GET", "/subjects/reg-value/versions", null).body));
        assertEquals(List.of(1), ints(call("GET", "/subjects/reg-other-value/versions", null).body));
        List<String> subjects = JSON.convertValue(call("GET", "/subjects", null).body, List.class);
        assertTrue(subjects.containsAll(List.of("reg-value", "reg-other-value")), subjects.toString());
    }

    @Test
    void looksUpSchemasBySubjectIdAndVersion() throws Exception {
        int id = register("look-value", V1).path("id").asInt();

        Reply lookup = call("POST", "/subjects/look-value", Map.of("schema", V1_REFORMATTED));
        assertEquals(200, lookup.status);
        assertEquals("look-value", lookup.body.path("subject").asText());
        assertEquals(1, lookup.body.path("version").asInt());
        assertEquals(id, lookup.body.path("id").asInt());
        assertEquals(parse(V1), parse(lookup.body.path("schema").asText()));

        assertError(404, 40403, call("POST", "/subjects/look-value", Map.of("schema", V2_WITH_DEFAULT)));
        assertError(404, 40401, call("POST", "/subjects/no-such-subject", Map.of("schema", V1)));

        Reply byId = call("GET", "/schemas/ids/" + id, null);
        assertEquals(200, byId.status);
        assertEquals(parse(V1), parse(byId.body.path("schema").asText()));
        assertError(404, 40403, call("GET", "/schemas/ids/987654", null));

        register("look-value", V2_WITH_DEFAULT);
        Reply latest = call("GET", "/subjects/look-value/versions/latest", null);
        assertEquals(2, latest.body.path("version").asInt());
        assertEquals(parse(V2_WITH_DEFAULT), parse(latest.body.path("schema").asText()));
        assertEquals(id, call("GET", "/subjects/look-value/versions/1", null).body.path("id").asInt());
        assertError(404, 40402, call("GET", "/subjects/look-value/versions/9", null));
        assertError(422, 42202, call("GET", "/subjects/look-value/versions/zero", null));
        assertError(404, 40401, call("GET", "/subjects/no-such-subject/versions/latest", null));
    }

    @Test
    void rejectsInvalidSchemasUnknownPathsAndWrongMethods() throws Exception {
        assertError(422, 42201, call("POST", "/subjects/bad-value/versions",
                Map.of("schema", "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}")));
        assertError(422, 42201, call("POST", "/subjects/bad-value/versions", Map.of("schema", "{not json")));
        assertError(422, 42201, call("POST", "/subjects/bad-value/versions",
                Map.of("schema", "{\"type\":\"string\"}", "schemaType", "PROTOBUF")));
        assertError(404, 404, call("GET", "/no/such/path", null));
        assertError(405, 405, call("DELETE", "/subjects", null));
        assertFalse(JSON.convertValue(call("GET", "/subjects", null).body, List.class).contains("bad-value"));
    }

    @Test
    void enforcesTheSubjectsCompatibilityLevel() throws Exception {
        register("compat-value", V1);
        String check = "/compatibility/subjects/compat-value/versions/latest";
        assertEquals(false, call("POST", check, Map.of("schema", V2_WITHOUT_DEFAULT)).body.path("is_compatible").asBoolean(true),
                "under BACKWARD a new field without default cannot read old data");
        assertEquals(true, call("POST", check, Map.of("schema", V2_WITH_DEFAULT)).body.path("is_compatible").asBoolean(false));

        assertError(409, 409, call("POST", "/subjects/compat-value/versions", Map.of("schema", V2_WITHOUT_DEFAULT)));
        assertEquals(List.of(1), ints(call("GET", "/subjects/compat-value/versions", null).body), "nothing registered");

        assertEquals("BACKWARD", call("GET", "/config", null).body.path("compatibilityLevel").asText());
        assertError(404, 40408, call("GET", "/config/compat-value", null));
        assertEquals("BACKWARD", call("GET", "/config/compat-value?defaultToGlobal=true", null)
                .body.path("compatibilityLevel").asText());
        assertEquals("NONE", call("PUT", "/config/compat-value", Map.of("compatibility", "NONE")).body.path("compatibility").asText());
        assertEquals("NONE", call("GET", "/config/compat-value", null).body.path("compatibilityLevel").asText());
        assertError(422, 42203, call("PUT", "/config/compat-value", Map.of("compatibility", "SIDEWAYS")));

        assertEquals(200, call("POST", "/subjects/compat-value/versions", Map.of("schema", V2_WITHOUT_DEFAULT)).status,
                "NONE accepts what BACKWARD refused");
    }

    @Test
    void stateSurvivesARestartOfTheRegistry() throws Exception {
        int id1 = register("restart-value", V1).path("id").asInt();
        int id2 = register("restart-value", V2_WITH_DEFAULT).path("id").asInt();
        call("PUT", "/config/restart-value", Map.of("compatibility", "FULL"));

        registry.close();
        registry.close(); // idempotent
        registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);

        assertEquals(parse(V1), parse(call("GET", "/schemas/ids/" + id1, null).body.path("schema").asText()));
        assertEquals(id2, call("GET", "/subjects/restart-value/versions/latest", null).body.path("id").asInt());
        assertEquals(id1, register("restart-value", V1).path("id").asInt(), "re-registering after restart keeps the id");
        assertEquals("FULL", call("GET", "/config/restart-value", null).body.path("compatibilityLevel").asText());

        int fresh = register("restart-other-value", "\"string\"").path("id").asInt();
        assertTrue(fresh > id2, "new ids continue after the restored ones, got " + fresh);
    }

    @Test
    void storesEverythingInACompactedTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SCHEMAS.name());
            assertEquals("compact", admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS)
                    .get(topic).get("cleanup.policy").value());
            assertEquals(1, admin.describeTopics(List.of(Topics.SCHEMAS.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.SCHEMAS.name()).partitions().size());
        }
    }

    private static JsonNode register(String subject, String schema) throws Exception {
        Reply reply = call("POST", "/subjects/" + subject + "/versions", Map.of("schema", schema));
        assertEquals(200, reply.status, reply.body.toString());
        return reply.body;
    }

    private record Reply(int status, JsonNode body) {}

    private static Reply call(String method, String path, Object body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .method(method, publisher)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("application/vnd.schemaregistry.v1+json", response.headers().firstValue("Content-Type").orElse(""));
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    private static void assertError(int status, int errorCode, Reply reply) {
        assertEquals(status, reply.status, reply.body.toString());
        assertEquals(errorCode, reply.body.path("error_code").asInt(), reply.body.toString());
        assertTrue(reply.body.path("message").isTextual(), reply.body.toString());
    }

    private static List<Integer> ints(JsonNode array) {
        return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, Integer.class));
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }
}
