package io.vigil.bridge.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.events.SseEndpoint;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The bridge's HTTP side, independent of Kafka: it takes a hub to stream from, a health source and a
 * meter registry. Routes (GET and HEAD only): {@code /events} (SSE), {@code /health}, {@code /metrics},
 * {@code /webjars/uplot/...}, and the dashboard at {@code /} with its files next to it.
 */
public final class WebServer implements AutoCloseable {

    private final Undertow undertow;
    private final String host;
    private final int port;

    private WebServer(Undertow undertow, String host, int port) {
        this.undertow = undertow;
        this.host = host;
        this.port = port;
    }

    /** Binds and starts; {@code port} 0 picks a free port (see {@link #port()}). */
    public static WebServer start(String host, int port, FanOutHub hub, Supplier<Health> health,
                                  PrometheusMeterRegistry registry) {
        ClassLoader loader = WebServer.class.getClassLoader();
        PathHandler routes = Handlers.path(readOnly(StaticContent.page(loader)))
                .addExactPath("/events", readOnly(new SseEndpoint(hub)))
                .addExactPath("/health", readOnly(new HealthHandler(health)))
                .addExactPath("/metrics", readOnly(new MetricsHandler(registry)))
                .addPrefixPath("/webjars/uplot", readOnly(StaticContent.uplot(loader)));
        HttpHandler root = exchange -> {
            exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
            routes.handleRequest(exchange);
        };
        Undertow undertow = Undertow.builder().addHttpListener(port, host).setHandler(root).build();
        undertow.start();
        int bound = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return new WebServer(undertow, host, bound);
    }

    public int port() {
        return port;
    }

    /** Where a browser on this machine finds the dashboard. */
    public String url() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port + "/";
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private static HttpHandler readOnly(HttpHandler next) {
        return exchange -> {
            HttpString method = exchange.getRequestMethod();
            if (Methods.GET.equals(method) || Methods.HEAD.equals(method)) {
                next.handleRequest(exchange);
                return;
            }
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.endExchange();
        };
    }
}
