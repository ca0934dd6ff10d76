package io.vigil.bridge.events;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.xnio.XnioIoThread;

/**
 * The {@code GET /events} handler: an Undertow {@link ServerSentEventHandler} whose connections are
 * attached to a {@link FanOutHub}. It records each exchange's IO thread before the SSE handler takes
 * over, because the connection does not expose it and the hub must write to a connection only from
 * that thread. A reconnecting browser's {@code Last-Event-ID} is ignored: the bridge keeps no
 * history, so a client simply resumes with live events.
 */
public final class SseEndpoint implements HttpHandler {

    private static final AttachmentKey<XnioIoThread> IO_THREAD = AttachmentKey.create(XnioIoThread.class);

    private static final HttpString ACCEL_BUFFERING = new HttpString("X-Accel-Buffering");

    private final ServerSentEventHandler sse;

    public SseEndpoint(FanOutHub hub) {
        // The connection's attachments are the exchange's, so the key set below is visible here.
        this.sse = new ServerSentEventHandler((connection, lastEventId) ->
                hub.attach(connection, connection.getAttachment(IO_THREAD)));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.putAttachment(IO_THREAD, exchange.getIoThread());
        // Proxies (nginx) buffer responses unless told not to, which would hold events back.
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(ACCEL_BUFFERING, "no");
        sse.handleRequest(exchange);
    }
}
