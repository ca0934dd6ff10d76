package io.vigil.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /metrics} and probes for a service without an HTTP server of its own (the scorer, the
 * notifier), on the JDK's: the registry in Prometheus text format 0.0.4, and each probe as 200 or 503
 * with its reason as plain text, for Kubernetes to act on.
 */
public final class ProbeServer implements AutoCloseable {

    /** A probe's answer: whether the service passes it, and why, for a person reading it. */
    public record Verdict(boolean ok, String reason) {}

    private static final String EXPOSITION_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private ProbeServer(HttpServer server) {
        this.server = server;
    }

    /** Serves on every interface at {@code port}; {@code probes} by path, e.g. {@code /health}. */
    public static ProbeServer start(int port, PrometheusMeterRegistry registry, Map<String, Supplier<Verdict>> probes)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", exchange -> respond(exchange, 200, EXPOSITION_TYPE, registry.scrape()));
        probes.forEach((path, probe) -> server.createContext(path, exchange -> {
            Verdict verdict = probe.get();
            respond(exchange, verdict.ok() ? 200 : 503, "text/plain; charset=utf-8", verdict.reason() + "\n");
        }));
        server.start();
        return new ProbeServer(server);
    }

    private static void respond(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
