package io.vigil.bridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /health}: {"status": "starting" | "catching up" | "ready", ...details}, 200 when ready and
 * 503 otherwise. Meant as a readiness check: "starting" also covers a broker that is away, which is no
 * reason to restart the bridge. Never needs a token.
 */
final class HealthHandler implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Health> health;

    HealthHandler(Supplier<Health> health) {
        this.health = health;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Health current = health.get();
        // "status" first, then the details sorted: stable output that is easy to eyeball.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", current.status());
        new TreeMap<>(current.details()).forEach(body::putIfAbsent);
        exchange.setStatusCode(current.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(JSON.writeValueAsString(body));
    }
}
