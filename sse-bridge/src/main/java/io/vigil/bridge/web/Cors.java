package io.vigil.bridge.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.util.Set;

/**
 * Cross-origin access, by allow-list. A request whose {@code Origin} is listed (or any origin, when the
 * list holds {@code *}) gets {@code Access-Control-Allow-Origin} echoing it; preflights from listed
 * origins are answered here (GET and HEAD, with the {@code Authorization} and {@code Last-Event-ID}
 * headers), from others refused with 403. Nothing else is refused here: CORS only ever grants reading,
 * and same-origin requests (the dashboard) need none of it. No credentials are allowed: the API uses
 * bearer tokens, not cookies.
 */
final class Cors implements HttpHandler {

    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    private static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");

    private final Set<String> origins;
    private final HttpHandler next;

    Cors(Set<String> origins, HttpHandler next) {
        this.origins = origins;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        boolean allowed = origin != null && (origins.contains("*") || origins.contains(origin));
        if (origin != null) {
            exchange.getResponseHeaders().add(Headers.VARY, "Origin");
        }
        boolean preflight = Methods.OPTIONS.equals(exchange.getRequestMethod())
                && exchange.getRequestHeaders().contains(REQUEST_METHOD);
        if (preflight) {
            if (!allowed) {
                HttpErrors.send(exchange, StatusCodes.FORBIDDEN, "origin not allowed");
                return;
            }
            exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin);
            exchange.getResponseHeaders().put(ALLOW_METHODS, "GET, HEAD");
            exchange.getResponseHeaders().put(ALLOW_HEADERS, "Authorization, Last-Event-ID, Cache-Control");
            exchange.getResponseHeaders().put(MAX_AGE, "600");
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            exchange.endExchange();
            return;
        }
        if (allowed) {
            exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin);
        }
        next.handleRequest(exchange);
    }
}
