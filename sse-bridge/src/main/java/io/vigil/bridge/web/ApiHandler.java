package io.vigil.bridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.views.Views;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The read-only REST API over the {@link Views}, each answer a JSON object with the list under its
 * name and {@code position}: the event id of the stream position the answer reflects, so a page can
 * open {@code /events?lastEventId=<position>} and miss nothing and repeat nothing.
 *
 * <ul>
 *   <li>{@code /api/channels[?channel=a,b][&limit=n]}: per channel status, last score, model version,
 *       open anomaly, anomaly and label counts, sparkline values (sorted by id; limit 1..100000);</li>
 *   <li>{@code /api/nodes[?limit=n]}: per node state, liveness, last status change, last heartbeat;</li>
 *   <li>{@code /api/anomalies[?channel=a][&limit=n]}: recent anomaly segments, newest first
 *       (limit 1..1000, default 200);</li>
 *   <li>{@code /api/labels[?channel=a][&limit=n]}: recent ground-truth label segments, likewise;</li>
 *   <li>{@code /api/history?channel=a[&limit=n]}: the channel's newest scores for its chart, oldest
 *       first, as columns (limit 1..100000, default all kept), or null for a channel not seen.</li>
 * </ul>
 */
final class ApiHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates a request's parameters and returns the read to run under the views' lock. */
    private interface Query {
        Supplier<Object> prepare(Params params) throws BadRequest;
    }

    private final Views views;
    private final Supplier<Position> frontier;
    private final WebSettings settings;

    ApiHandler(Views views, Supplier<Position> frontier, WebSettings settings) {
        this.views = views;
        this.frontier = frontier;
        this.settings = settings;
    }

    HttpHandler channels() {
        return route("channels", List.of("channel", "limit"), p -> {
            var only = p.list("channel");
            int limit = p.integer("limit", 100_000, 1, 100_000);
            return () -> views.channels(only, limit);
        });
    }

    HttpHandler nodes() {
        return route("nodes", List.of("limit"), p -> {
            int limit = p.integer("limit", 100_000, 1, 100_000);
            return () -> views.nodes(limit);
        });
    }

    HttpHandler anomalies() {
        return route("anomalies", List.of("channel", "limit"), p -> {
            String channel = p.text("channel");
            int limit = p.integer("limit", 200, 1, 1000);
            return () -> views.anomalies(channel, limit);
        });
    }

    HttpHandler labels() {
        return route("labels", List.of("channel", "limit"), p -> {
            String channel = p.text("channel");
            int limit = p.integer("limit", 200, 1, 1000);
            return () -> views.labels(channel, limit);
        });
    }

    HttpHandler history() {
        return route("history", List.of("channel", "limit"), p -> {
            String channel = p.text("channel");
            if (channel == null) {
                throw new BadRequest("'channel' is required");
            }
            int limit = p.integer("limit", 100_000, 1, 100_000);
            return () -> views.chart(channel, limit);
        });
    }

    private HttpHandler route(String name, List<String> allowed, Query query) {
        return new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) throws Exception {
                if (exchange.isInIoThread()) {
                    // Snapshots wait for the feed's lock and may be large: keep them off the IO threads.
                    exchange.dispatch(this);
                    return;
                }
                Supplier<Object> read;
                try {
                    Params params = new Params(exchange.getQueryParameters(), allowed,
                            settings.maxFilterValues(), settings.maxValueLength());
                    read = query.prepare(params);
                } catch (BadRequest e) {
                    HttpErrors.send(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
                    return;
                }
                Views.Snapshot<?> snapshot = views.snapshot(v -> read.get(), frontier);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("position", PositionCodec.encode(snapshot.position()));
                body.put(name, snapshot.value());
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                exchange.getResponseSender().send(JSON.writeValueAsString(body));
            }
        };
    }
}
