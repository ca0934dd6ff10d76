package io.vigil.topology.it;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.schemas.registry.MockSchemaRegistry;
import org.apache.avro.Schema;
import io.vigil.schemas.registry.SchemaNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The parts of the Confluent registry REST API that services call ({@code GET /schemas/ids/{id}};
 * {@code GET /subjects}, which services call at start to check the registry answers; and
 * {@code POST /subjects/{subject}/versions}, which a writer such as the bridge's ingest calls to
 * register or look up its schema) over an in-JVM
 * {@code mock://} scope, so that a service in another JVM (a bridge under a benchmark) can decode what
 * this JVM's serializers wrote. Loopback only, on a free port; the JDK's own HTTP server.
 */
public final class RegistryEndpoint implements AutoCloseable {

    private static final String BY_ID = "/schemas/ids/";
    private static final String SUBJECTS = "/subjects";
    private static final String VERSIONS = "/versions";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final MockSchemaRegistry registry;

    /** Serves the schemas of scope {@code scope} (the name after {@code mock://}). */
    public RegistryEndpoint(String scope) throws IOException {
        this(scope, 0);
    }

    /** Serves them on {@code port} (0: a free one), e.g. the port of an endpoint closed before, to bring a registry back. */
    public RegistryEndpoint(String scope, int port) throws IOException {
        this.registry = MockSchemaRegistry.scope(scope);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int status = 404;
        String body = "{\"error_code\":404,\"message\":\"not found\"}";
        if ("POST".equals(exchange.getRequestMethod()) && path.startsWith(SUBJECTS + "/") && path.endsWith(VERSIONS)) {
            String subject = path.substring(SUBJECTS.length() + 1, path.length() - VERSIONS.length());
            String schema;
            try (InputStream in = exchange.getRequestBody()) {
                schema = JSON.readTree(in).get("schema").asText();
            }
            status = 200;
            body = "{\"id\":" + registry.register(subject, new Schema.Parser().parse(schema)) + "}";
        } else if (path.equals(SUBJECTS)) {
            status = 200;
            body = JSON.writeValueAsString(registry.subjects());
        } else if (path.startsWith(BY_ID)) {
            try {
                String schema = registry.getById(Integer.parseInt(path.substring(BY_ID.length()))).toString();
                status = 200;
                body = "{\"schema\":" + JSON.writeValueAsString(schema) + "}";
            } catch (SchemaNotFoundException | NumberFormatException e) {
                body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
