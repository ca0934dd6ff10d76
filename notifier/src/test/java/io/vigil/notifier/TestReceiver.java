package io.vigil.notifier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An HTTP receiver for tests: records every POST (path, Idempotency-Key decoded, body) and answers
 * with the status {@code answer} gives for it.
 */
final class TestReceiver implements AutoCloseable {

    record Request(String path, String idempotencyKey, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();

    TestReceiver(Function<Request, Integer> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(exchange, answer));
        server.start();
    }

    private void handle(HttpExchange exchange, Function<Request, Integer> answer) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Request request = new Request(exchange.getRequestURI().getPath(),
                key == null ? null : java.net.URLDecoder.decode(key, StandardCharsets.UTF_8), body);
        int status;
        synchronized (requests) {
            requests.add(request);
            status = answer.apply(request);
        }
        byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
