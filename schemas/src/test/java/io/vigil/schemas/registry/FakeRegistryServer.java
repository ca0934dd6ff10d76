package io.vigil.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.Schema;

/**
 * A Confluent REST subset on the JDK's HttpServer, backed by a {@link MockSchemaRegistry}, that records
 * every request and can be told to answer the next requests with canned responses (to inject 5xx,
 * 4xx, proxy pages or slow answers).
 */
public final class FakeRegistryServer implements AutoCloseable {

    /** One request as the server saw it; header names are case-insensitive. */
    public record Call(String method, String rawPath, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    private record Canned(int status, String body, long delayMillis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final MockSchemaRegistry backend = new MockSchemaRegistry();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Deque<Canned> canned = new ArrayDeque<>();

    private FakeRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeRegistryServer start() {
        try {
            return new FakeRegistryServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An http URL on which nothing listens (connection refused). */
    public static String deadUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public MockSchemaRegistry backend() {
        return backend;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public Call lastCall() {
        return calls.get(calls.size() - 1);
    }

    /** The next {@code times} requests get this answer instead of the real one. */
    public synchronized void respondNext(int times, int status, String body) {
        for (int i = 0; i < times; i++) {
            canned.add(new Canned(status, body, 0));
        }
    }

    /** The next request is answered only after {@code delayMillis}. */
    public synchronized void delayNext(long delayMillis) {
        canned.add(new Canned(-1, null, delayMillis));
    }

    private synchronized Optional<Canned> nextCanned() {
        return Optional.ofNullable(canned.poll());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body);
            calls.add(call);
            Optional<Canned> override = nextCanned();
            if (override.isPresent() && override.get().delayMillis() > 0) {
                sleep(override.get().delayMillis());
                override = Optional.empty();
            }
            int status;
            String answer;
            if (override.isPresent()) {
                status = override.get().status();
                answer = override.get().body();
            } else {
                try {
                    answer = JSON.writeValueAsString(route(call));
                    status = 200;
                } catch (RegistryException e) {
                    status = e.httpStatus();
                    answer = JSON.writeValueAsString(Map.of("error_code", e.errorCode(), "message", e.getMessage()));
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private Object route(Call call) throws IOException {
        String[] p = call.rawPath().replaceAll("^/+", "").split("/");
        for (int i = 0; i < p.length; i++) {
            p[i] = URLDecoder.decode(p[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        String m = call.method();
        if (m.equals("GET") && p.length == 1 && p[0].equals("subjects")) {
            return backend.subjects();
        }
        if (m.equals("POST") && p.length == 2 && p[0].equals("subjects")) {
            Schema schema = schemaOf(call);
            int id = backend.getId(p[1], schema);
            RegisteredSchema latest = backend.getLatest(p[1]);
            return view(p[1], latest.id() == id ? latest.version() : 1, id, schema);
        }
        if (m.equals("POST") && p.length == 3 && p[0].equals("subjects") && p[2].equals("versions")) {
            return Map.of("id", backend.register(p[1], schemaOf(call)));
        }
        if (m.equals("GET") && p.length == 4 && p[0].equals("subjects") && p[3].equals("latest")) {
            RegisteredSchema latest = backend.getLatest(p[1]);
            return view(latest.subject(), latest.version(), latest.id(), latest.schema());
        }
        if (m.equals("GET") && p.length == 3 && p[0].equals("schemas") && p[1].equals("ids")) {
            return Map.of("schema", backend.getById(Integer.parseInt(p[2])).toString());
        }
        if (m.equals("POST") && p.length == 5 && p[0].equals("compatibility")) {
            backend.getLatest(p[2]); // Confluent answers 40401 for a subject without versions
            return Map.of("is_compatible", backend.isCompatible(p[2], schemaOf(call)));
        }
        throw new RegistryException(404, 404, "HTTP 404 Not Found");
    }

    private static Map<String, Object> view(String subject, int version, int id, Schema schema) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("subject", subject);
        view.put("version", version);
        view.put("id", id);
        view.put("schema", schema.toString());
        return view;
    }

    private static Schema schemaOf(Call call) throws IOException {
        JsonNode body = JSON.readTree(call.body());
        return new Schema.Parser().parse(body.get("schema").asText());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
