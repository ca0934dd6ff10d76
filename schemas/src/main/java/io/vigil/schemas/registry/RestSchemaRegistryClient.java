package io.vigil.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of a Confluent-compatible registry's REST API (Confluent, Apicurio's ccompat API, Karapace).
 *
 * <p>It caches, forever, only what can never change: the schema of an id, and the id of a schema under
 * a subject. So after warm-up a serde makes no HTTP calls at all, and "latest version", subject lists and
 * compatibility are always asked fresh. Retries, fail-over between URLs and timeouts are described on
 * {@link Options}. Thread-safe; share one instance per registry (see {@link SchemaRegistryClients}).
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /**
     * How to talk to the registry.
     *
     * @param basicAuthUserInfo {@code user:password} sent to every URL; null to use each URL's own user
     *        info, if it has any
     * @param maxAttempts rounds over the URLs before an I/O error or 5xx is given up on (at least 1)
     * @param baseBackoff pause before the second round, doubled for each later one (capped at 5 s)
     * @param connectTimeout TCP connect timeout per URL
     * @param requestTimeout time for one HTTP exchange
     */
    public record Options(String basicAuthUserInfo, int maxAttempts, Duration baseBackoff, Duration connectTimeout,
            Duration requestTimeout, SSLContext sslContext) {

        public Options {
            Objects.requireNonNull(baseBackoff, "baseBackoff");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
            }
        }

        /** No basic auth beyond the URLs' own, 3 attempts, 100 ms base backoff, 5 s connect, 10 s request. */
        public static Options defaults() {
            return new Options(null, 3, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(10), null);
        }

        public Options withBasicAuth(String userInfo) {
            return new Options(userInfo, maxAttempts, baseBackoff, connectTimeout, requestTimeout, sslContext);
        }

        /** TLS trust and client keys for {@code https} URLs; null for the JVM's defaults. */
        public Options withSsl(SSLContext context) {
            return new Options(basicAuthUserInfo, maxAttempts, baseBackoff, connectTimeout, requestTimeout, context);
        }

        public Options withRetries(int attempts, Duration backoff) {
            return new Options(basicAuthUserInfo, attempts, backoff, connectTimeout, requestTimeout, sslContext);
        }

        @Override
        public String toString() {
            return "Options[basicAuth=" + (basicAuthUserInfo != null) + ", maxAttempts=" + maxAttempts
                    + ", baseBackoff=" + baseBackoff + ", connectTimeout=" + connectTimeout
                    + ", requestTimeout=" + requestTimeout + ", ssl=" + (sslContext != null) + "]";
        }
    }

    private record SubjectSchema(String subject, String schema) {
    }

    private final RestTransport transport;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    /**
     * @param baseUrls one or more base URLs, tried in order; each may carry a path prefix (e.g.
     *        Apicurio's {@code /apis/ccompat/v7}) and, for URL-sourced credentials, user info
     */
    public RestSchemaRegistryClient(List<String> baseUrls, Options options) {
        List<RestTransport.Endpoint> endpoints = new ArrayList<>();
        for (String url : baseUrls) {
            endpoints.add(RestTransport.Endpoint.of(url, options.basicAuthUserInfo()));
        }
        this.transport = new RestTransport(endpoints, options.maxAttempts(), options.baseBackoff(),
                options.connectTimeout(), options.requestTimeout(), options.sslContext());
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = transport.call("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(key.schema()));
        int id = requiredInt(answer, "id");
        idsBySubjectSchema.put(key, id);
        return id;
    }

    @Override
    public int getId(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = transport.call("POST", "/subjects/" + segment(subject), schemaBody(key.schema()));
        int id = requiredInt(answer, "id");
        idsBySubjectSchema.put(key, id);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parse(transport.call("GET", "/schemas/ids/" + id, null), id);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        JsonNode answer = transport.call("GET", "/subjects/" + segment(subject) + "/versions/latest", null);
        int id = requiredInt(answer, "id");
        Schema schema = schemasById.computeIfAbsent(id, i -> parse(answer, i));
        return new RegisteredSchema(answer.path("subject").asText(subject), requiredInt(answer, "version"), id, schema);
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = transport.call("GET", "/subjects", null);
        if (!answer.isArray()) {
            throw new RegistryException(200, RegistryException.NO_ERROR_CODE, "GET /subjects did not answer a list");
        }
        List<String> subjects = new ArrayList<>();
        answer.forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer = transport.call("POST", "/compatibility/subjects/" + segment(subject) + "/versions/latest",
                    schemaBody(schema.toString()));
            JsonNode verdict = answer.get("is_compatible");
            if (verdict == null || !verdict.isBoolean()) {
                throw new RegistryException(200, RegistryException.NO_ERROR_CODE,
                        "compatibility answer without a boolean is_compatible: " + answer);
            }
            return verdict.asBoolean();
        } catch (SchemaNotFoundException e) {
            // No subject or no version to compare with: the first version is always acceptable.
            if (e.errorCode() == SchemaNotFoundException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaNotFoundException.VERSION_NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    private static ObjectNode schemaBody(String schema) {
        // schemaType is left out: absent means AVRO, and old registries reject the field.
        return JsonNodeFactory.instance.objectNode().put("schema", schema);
    }

    /** Percent-encodes a subject as one path segment ("/" and spaces included). */
    static String segment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new RegistryException(200, RegistryException.NO_ERROR_CODE,
                    "registry answer without an integer \"" + field + "\": " + answer);
        }
        return value.asInt();
    }

    private static Schema parse(JsonNode answer, int id) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new SchemaParseException("schema " + id + " is " + type + ", not Avro");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new RegistryException(200, RegistryException.NO_ERROR_CODE,
                    "registry answer for schema " + id + " has no \"schema\" string");
        }
        return new Schema.Parser().parse(text.asText());
    }
}
