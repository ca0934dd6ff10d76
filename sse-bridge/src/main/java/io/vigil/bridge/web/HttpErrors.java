package io.vigil.bridge.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.Map;

/** Error answers, always JSON: {@code {"error": "<message>"}}, and other JSON answers that must not be cached. */
public final class HttpErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void send(HttpServerExchange exchange, int status, String message) {
        json(exchange, status, Map.of("error", message));
    }

    /** {@code body} as JSON with {@code status}, not to be cached. */
    public static void json(HttpServerExchange exchange, int status, Object body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        try {
            exchange.getResponseSender().send(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            exchange.getResponseSender().send("{\"error\":\"error\"}");
        }
    }

    private HttpErrors() {}
}
