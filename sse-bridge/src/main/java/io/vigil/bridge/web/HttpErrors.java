package io.vigil.bridge.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.Map;

/** Error answers, always JSON: {@code {"error": "<message>"}}. */
public final class HttpErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void send(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        try {
            exchange.getResponseSender().send(JSON.writeValueAsString(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            exchange.getResponseSender().send("{\"error\":\"error\"}");
        }
    }

    private HttpErrors() {}
}
