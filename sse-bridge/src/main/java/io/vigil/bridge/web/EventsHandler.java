package io.vigil.bridge.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.events.Frame;
import io.vigil.bridge.events.SseClient;
import org.xnio.channels.StreamSinkChannel;

/**
 * {@code GET /events}: validates the request (a bad filter or id is a 400 with a JSON message),
 * enforces the connection limit (503 beyond {@code bridge.max.clients}), opens the event stream and
 * hands it to the {@link StreamConnector}. The stream starts with {@code retry:} (reconnect after
 * {@link #RETRY_MILLIS}) and a {@code : connected} comment; data lines are only ever events of the
 * four streamed kinds and the {@code resume} and {@code dropped} notices.
 */
final class EventsHandler implements HttpHandler {

    static final long RETRY_MILLIS = 2000;
    private static final HttpString ACCEL_BUFFERING = new HttpString("X-Accel-Buffering");
    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");

    private final FanOutHub hub;
    private final StreamConnector connector;
    private final WebSettings settings;

    EventsHandler(FanOutHub hub, StreamConnector connector, WebSettings settings) {
        this.hub = hub;
        this.connector = connector;
        this.settings = settings;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        StreamRequest request;
        try {
            request = StreamRequest.parse(exchange.getQueryParameters(),
                    exchange.getRequestHeaders().getFirst(LAST_EVENT_ID), settings);
        } catch (BadRequest e) {
            HttpErrors.send(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
            return;
        }
        if (Methods.HEAD.equals(exchange.getRequestMethod())) {
            streamHeaders(exchange);
            exchange.endExchange();
            return;
        }
        if (!hub.reserve()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "10");
            HttpErrors.send(exchange, StatusCodes.SERVICE_UNAVAILABLE, "too many clients");
            return;
        }
        SseClient client;
        try {
            streamHeaders(exchange);
            // Close-delimited, like Undertow's own SSE handler: no chunk framing around every write.
            exchange.setPersistent(false);
            StreamSinkChannel sink = exchange.getResponseChannel();
            client = hub.open(exchange, sink, request.filter());
        } catch (RuntimeException e) {
            hub.release();
            throw e;
        }
        // Dispatching keeps the exchange open after this handler returns; the stream is ours now.
        exchange.dispatch(exchange.getIoThread(), () -> {
            client.offer(Frame.retry(RETRY_MILLIS));
            // A comment, not an event: plain clients (the local stack's smoke test among them) take the
            // first data line for the first score.
            client.offer(Frame.comment("connected"));
            connector.connect(client, request.from());
        });
    }

    private static void streamHeaders(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        // Proxies (nginx) buffer responses unless told not to, which would hold events back.
        exchange.getResponseHeaders().put(ACCEL_BUFFERING, "no");
    }
}
