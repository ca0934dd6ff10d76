package io.vigil.bridge.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.views.Views;

import org.xnio.Options;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The bridge's HTTP side, independent of Kafka. Routes (GET and HEAD only, but for the write route):
 * <ul>
 *   <li>{@code /events}: the event stream ({@link EventsHandler}; token also as {@code ?access_token=});</li>
 *   <li>{@code /api/channels}, {@code /api/nodes}, {@code /api/anomalies}, {@code /api/labels}, {@code /api/history}
 *       ({@link ApiHandler});</li>
 *   <li>{@code /metrics} (Prometheus) and {@code /health} (never needs a token);</li>
 *   <li>the dashboard at {@code /} and uPlot under {@code /webjars/uplot/};</li>
 *   <li>when given, one {@link WriteRoute} (HTTP ingest), behind its own token.</li>
 * </ul>
 * With {@code bridge.auth.token} set, every route that serves data ({@code /events}, {@code /api/*},
 * {@code /metrics}) needs the bearer token. The dashboard's static files do not: they hold no data,
 * and a browser navigating to the page cannot send a header; the page takes the token from its URL
 * fragment ({@code /#token=...}, never sent to a server) and sends it on every data request.
 * CORS is answered by allow-list ({@link Cors}).
 */
public final class WebServer implements AutoCloseable {

    /** Per-connection kernel send buffer: ~300 score events, 150 ms at 2,000 a second. */
    static final int SEND_BUFFER_BYTES = 128 * 1024;

    private final Undertow undertow;
    private final String scheme;
    private final String host;
    private final int port;

    private WebServer(Undertow undertow, String scheme, String host, int port) {
        this.scheme = scheme;
        this.undertow = undertow;
        this.host = host;
        this.port = port;
    }

    /**
     * A route that takes writes: its handler answers every method itself, behind {@code token} (null:
     * the bridge's {@code bridge.auth.token}, if any).
     */
    public record WriteRoute(String path, String token, HttpHandler handler) {}

    /** Binds and starts; port 0 picks a free port (see {@link #port()}). */
    public static WebServer start(WebSettings settings, FanOutHub hub, StreamConnector connector, Views views,
                                  Supplier<Health> health, PrometheusMeterRegistry registry) {
        return start(settings, hub, connector, views, health, registry, null);
    }

    /** Binds and starts with {@code writes} (null: none); port 0 picks a free port (see {@link #port()}). */
    public static WebServer start(WebSettings settings, FanOutHub hub, StreamConnector connector, Views views,
                                  Supplier<Health> health, PrometheusMeterRegistry registry, WriteRoute writes) {
        ClassLoader loader = WebServer.class.getClassLoader();
        String token = settings.authToken();
        ApiHandler api = new ApiHandler(views, hub::frontier, settings);
        PathHandler routes = Handlers.path(StaticContent.page(loader))
                .addExactPath("/events", BearerAuth.wrap(token, true, new EventsHandler(hub, connector, settings)))
                .addExactPath("/api/channels", BearerAuth.wrap(token, false, api.channels()))
                .addExactPath("/api/nodes", BearerAuth.wrap(token, false, api.nodes()))
                .addExactPath("/api/anomalies", BearerAuth.wrap(token, false, api.anomalies()))
                .addExactPath("/api/labels", BearerAuth.wrap(token, false, api.labels()))
                .addExactPath("/api/history", BearerAuth.wrap(token, false, api.history()))
                .addExactPath("/metrics", BearerAuth.wrap(token, false, new MetricsHandler(registry)))
                .addExactPath("/health", new HealthHandler(health))
                .addPrefixPath("/webjars/uplot", StaticContent.uplot(loader));
        HttpHandler readOnly = readOnly(routes);
        HttpHandler served = writes == null ? readOnly : withWrites(writes, token, readOnly);
        HttpHandler cors = new Cors(settings.corsOrigins(), served);
        HttpHandler root = exchange -> {
            exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
            cors.handleRequest(exchange);
        };
        Undertow.Builder builder = settings.tls() == null
                ? Undertow.builder().addHttpListener(settings.port(), settings.host())
                : Undertow.builder().addHttpsListener(settings.port(), settings.host(), settings.tls());
        Undertow undertow = builder.setHandler(root)
                // The kernel would otherwise autotune a lagging client's send buffer to megabytes of
                // stale events, beyond the per-client queue that drops the oldest: keep the backlog
                // where the drop policy and the metrics see it.
                .setSocketOption(Options.SEND_BUFFER, SEND_BUFFER_BYTES)
                // What Undertow buffers of one request before any handler runs: ours, not its 1 MiB.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, settings.maxHeaderBytes())
                .build();
        undertow.start();
        int bound = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return new WebServer(undertow, settings.tls() == null ? "http" : "https", settings.host(), bound);
    }

    public int port() {
        return port;
    }

    /** Where a browser on this machine finds the dashboard. */
    public String url() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + shown + ":" + port + "/";
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private static HttpHandler withWrites(WriteRoute writes, String readToken, HttpHandler readOnly) {
        HttpHandler guarded = BearerAuth.wrap(writes.token() != null ? writes.token() : readToken, false, writes.handler());
        return exchange -> {
            if (writes.path().equals(exchange.getRelativePath())) {
                guarded.handleRequest(exchange);
            } else {
                readOnly.handleRequest(exchange);
            }
        };
    }

    private static HttpHandler readOnly(HttpHandler next) {
        return exchange -> {
            HttpString method = exchange.getRequestMethod();
            if (Methods.GET.equals(method) || Methods.HEAD.equals(method)) {
                next.handleRequest(exchange);
                return;
            }
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            HttpErrors.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "only GET and HEAD");
        };
    }
}
