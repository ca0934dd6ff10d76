package io.vigil.bridge.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Deque;

/**
 * Optional bearer-token authentication of one route: with a token configured, a request needs
 * {@code Authorization: Bearer <token>}, or 401. EventSource cannot send headers, so the event stream
 * (and only it: query strings end up in logs and browser history) also accepts
 * {@code ?access_token=<token>}. Tokens are compared in constant time.
 */
final class BearerAuth implements HttpHandler {

    static final String QUERY_TOKEN = "access_token";

    private final byte[] token;
    private final boolean queryTokenAllowed;
    private final HttpHandler next;

    private BearerAuth(String token, boolean queryTokenAllowed, HttpHandler next) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.queryTokenAllowed = queryTokenAllowed;
        this.next = next;
    }

    /** {@code next} itself when no token is configured. */
    static HttpHandler wrap(String token, boolean queryTokenAllowed, HttpHandler next) {
        return token == null ? next : new BearerAuth(token, queryTokenAllowed, next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (matches(presented(exchange))) {
            if (queryTokenAllowed) {
                exchange.getQueryParameters().remove(QUERY_TOKEN);
            }
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"vigil\"");
        HttpErrors.send(exchange, StatusCodes.UNAUTHORIZED, "a valid bearer token is required");
    }

    private String presented(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        if (queryTokenAllowed) {
            Deque<String> values = exchange.getQueryParameters().get(QUERY_TOKEN);
            if (values != null && values.size() == 1) {
                return values.getFirst();
            }
        }
        return null;
    }

    private boolean matches(String presented) {
        // The token is ASCII: a string of another length cannot match, and is not encoded to find out.
        return presented != null && presented.length() == token.length
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }
}
