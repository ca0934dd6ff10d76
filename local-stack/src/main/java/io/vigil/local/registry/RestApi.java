package io.vigil.local.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of Confluent's REST API that serializers, deserializers and build tools use, mapped onto
 * {@link SchemaRegistry}. Every answer, errors included, is JSON of type
 * {@code application/vnd.schemaregistry.v1+json}; errors carry Confluent's {@code error_code}s.
 */
final class RestApi implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistry registry;

    RestApi(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            Object body;
            try {
                body = route(new Request(exchange));
            } catch (RegistryException e) {
                status = e.httpStatus();
                body = error(e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                body = error(50001, "Internal error: " + e);
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private Object route(Request r) {
        if (r.is("")) {
            return r.only("GET", Map::of);
        }
        if (r.is("subjects")) {
            return r.only("GET", registry::subjects);
        }
        if (r.is("subjects", "*")) {
            return r.only("POST", () -> view(registry.lookup(r.at(1), r.schema())));
        }
        if (r.is("subjects", "*", "versions")) {
            return r.method.equals("POST")
                    ? Map.of("id", registry.register(r.at(1), r.schema()))
                    : r.only("GET", () -> registry.versions(r.at(1)));
        }
        if (r.is("subjects", "*", "versions", "*")) {
            return r.only("GET", () -> view(registry.version(r.at(1), r.at(3))));
        }
        if (r.is("schemas", "ids", "*")) {
            return r.only("GET", () -> Map.of("schema", registry.schemaById(schemaId(r.at(2)))));
        }
        if (r.is("compatibility", "subjects", "*", "versions", "*")) {
            return r.only("POST", () -> compatibility(registry.compatibilityProblems(r.at(2), r.at(4), r.schema()), r));
        }
        if (r.is("config")) {
            return r.method.equals("PUT")
                    ? setLevel(null, r)
                    : r.only("GET", () -> Map.of("compatibilityLevel", registry.globalLevel().name()));
        }
        if (r.is("config", "*")) {
            return r.method.equals("PUT")
                    ? setLevel(r.at(1), r)
                    : r.only("GET", () -> Map.of("compatibilityLevel",
                            registry.subjectLevel(r.at(1), r.flag("defaultToGlobal")).name()));
        }
        throw new RegistryException(404, "HTTP 404 Not Found");
    }

    private Object setLevel(String subject, Request r) {
        Compatibility level = Compatibility.parse(r.json().path("compatibility").asText(null));
        registry.setLevel(subject, level);
        return Map.of("compatibility", level.name());
    }

    private static Object compatibility(List<String> problems, Request r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", problems.isEmpty());
        if (r.flag("verbose")) {
            body.put("messages", problems);
        }
        return body;
    }

    private static Map<String, Object> view(SchemaRegistry.Registered v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", v.subject());
        body.put("version", v.version());
        body.put("id", v.id());
        body.put("schema", v.schema());
        return body;
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("'" + text + "' is not a schema id");
        }
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        return body;
    }

    /** One request: its method, decoded path segments, raw query and (lazily read) JSON body. */
    private static final class Request {
        final String method;
        private final String query;
        private final List<String> segments;
        private final HttpExchange exchange;
        private JsonNode json;

        Request(HttpExchange exchange) {
            this.exchange = exchange;
            this.method = exchange.getRequestMethod();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            this.query = rawQuery == null ? "" : rawQuery;
            String path = exchange.getRequestURI().getRawPath().replaceAll("^/+|/+$", "");
            // Decoded per segment so that an encoded '/' inside a subject name does not split it.
            this.segments = Arrays.stream(path.split("/", -1))
                    .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
                    .toList();
        }

        /** Whether the path has these segments, "*" matching any non-empty one. */
        boolean is(String... pattern) {
            if (pattern.length != segments.size()) {
                return false;
            }
            for (int i = 0; i < pattern.length; i++) {
                boolean any = pattern[i].equals("*") && !segments.get(i).isEmpty();
                if (!any && !pattern[i].equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the query has {@code name=true}. */
        boolean flag(String name) {
            return Arrays.asList(query.split("&")).contains(name + "=true");
        }

        String at(int index) {
            return segments.get(index);
        }

        <T> T only(String allowed, Supplier<T> action) {
            if (!method.equals(allowed)) {
                throw new RegistryException(405, "HTTP 405 Method Not Allowed");
            }
            return action.get();
        }

        JsonNode json() {
            if (json == null) {
                try {
                    json = JSON.readTree(exchange.getRequestBody());
                } catch (JsonProcessingException e) {
                    throw new RegistryException(400, "Malformed JSON: " + e.getOriginalMessage());
                } catch (IOException e) {
                    throw new RegistryException(400, "Could not read the request body: " + e.getMessage());
                }
                if (json == null || json.isMissingNode()) {
                    throw new RegistryException(400, "The request needs a JSON body");
                }
            }
            return json;
        }

        /** The "schema" of the body; only Avro without references is supported. */
        String schema() {
            JsonNode body = json();
            String type = body.path("schemaType").asText("AVRO");
            if (!type.equalsIgnoreCase("AVRO")) {
                throw RegistryException.invalidSchema("schemaType " + type + " is not supported, only AVRO", null);
            }
            if (body.path("references").size() > 0) {
                throw RegistryException.invalidSchema("schema references are not supported", null);
            }
            JsonNode schema = body.get("schema");
            if (schema == null || !schema.isTextual()) {
                throw RegistryException.invalidSchema("the body needs a \"schema\" string", null);
            }
            return schema.asText();
        }
    }
}
