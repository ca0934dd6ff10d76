package io.vigil.bridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.vigil.bridge.web.HttpErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code POST /api/v1/telemetry}: a JSON batch of points ({@link PointBatch}) written to the telemetry
 * topic in one transaction ({@link TelemetryWriter}). Answers:
 * <ul>
 *   <li>200 {@code {"accepted": n}}: every point is in Kafka, visible to the scorer;</li>
 *   <li>400: not JSON, no {@code points} array, an empty one;</li>
 *   <li>401 (from the route's bearer check): no valid token, when one is set;</li>
 *   <li>405: a method other than POST;</li>
 *   <li>413: a body over {@code bridge.ingest.max.bytes};</li>
 *   <li>422 {@code {"errors":[{"row":i,"field":"...","reason":"..."}]}}: one error per refused row;
 *       nothing of the batch is written;</li>
 *   <li>503 with {@code Retry-After}: Kafka or the registry did not take the batch; none of it is visible.</li>
 * </ul>
 * RED metrics: {@code vigil_ingest_requests_seconds} by status (rate, errors, duration) and
 * {@code vigil_ingest_points_total} by outcome.
 */
public final class IngestHandler implements HttpHandler {

    public static final String PATH = "/api/v1/telemetry";
    static final String REQUESTS = "vigil.ingest.requests";
    static final String POINTS = "vigil.ingest.points";

    /** Histogram buckets, so that percentiles can be summed over bridges in Prometheus. */
    private static final Duration[] LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);
    private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IngestSettings settings;
    private final TelemetryWriter writer;
    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter refused;

    public IngestHandler(IngestSettings settings, TelemetryWriter writer, MeterRegistry registry) {
        this.settings = settings;
        this.writer = writer;
        this.registry = registry;
        this.accepted = points("accepted", registry);
        this.refused = points("refused", registry);
    }

    private static Counter points(String outcome, MeterRegistry registry) {
        return Counter.builder(POINTS).tag("outcome", outcome)
                .description("Points received over HTTP: accepted (written) or refused (in a 422 batch, none written)")
                .register(registry);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            // Reading the body and waiting for Kafka's commit block: a worker thread's job.
            exchange.dispatch(this);
            return;
        }
        long started = System.nanoTime();
        int status = answer(exchange);
        Timer.builder(REQUESTS).tag("status", Integer.toString(status))
                .description("Ingest requests by answer, from the first byte read to the answer")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private int answer(HttpServerExchange exchange) throws IOException {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            return error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "only POST");
        }
        long declared = exchange.getRequestContentLength();
        if (declared > settings.maxBytes()) {
            return tooLarge(exchange);
        }
        exchange.startBlocking();
        byte[] body = read(exchange.getInputStream(), settings.maxBytes());
        if (body == null) {
            return tooLarge(exchange);
        }
        PointBatch.Parsed parsed = PointBatch.parse(body, settings.maxPoints());
        if (parsed instanceof PointBatch.Malformed m) {
            return error(exchange, StatusCodes.BAD_REQUEST, m.reason());
        }
        if (parsed instanceof PointBatch.Refused r) {
            refused.increment(r.rows());
            return refuse(exchange, r.errors());
        }
        return write(exchange, (PointBatch.Accepted) parsed);
    }

    private int write(HttpServerExchange exchange, PointBatch.Accepted batch) {
        try {
            writer.write(batch.points());
        } catch (TelemetryWriter.Unavailable e) {
            log.atWarn().setMessage("ingest batch not written").addKeyValue("points", batch.points().size())
                    .addKeyValue("reason", e.getMessage()).log();
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(settings.retryAfter().toSeconds()));
            return error(exchange, StatusCodes.SERVICE_UNAVAILABLE, e.getMessage());
        }
        accepted.increment(batch.points().size());
        return json(exchange, StatusCodes.OK, Map.of("accepted", batch.points().size()));
    }

    private int refuse(HttpServerExchange exchange, List<RowError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", errors.size() + " row(s) refused; nothing of the batch was written");
        body.put("errors", errors);
        return json(exchange, StatusCodes.UNPROCESSABLE_ENTITY, body);
    }

    private int tooLarge(HttpServerExchange exchange) {
        // The rest of the body is not read: the connection closes after the answer.
        exchange.setPersistent(false);
        return error(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
                "the body exceeds " + settings.maxBytes() + " bytes (bridge.ingest.max.bytes)");
    }

    private static int error(HttpServerExchange exchange, int status, String message) {
        HttpErrors.send(exchange, status, message);
        return status;
    }

    private static int json(HttpServerExchange exchange, int status, Object body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        try {
            exchange.getResponseSender().send(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ingest answer did not encode", e);
        }
        return status;
    }

    /** The whole body, or null when it holds more than {@code limit} bytes. */
    private static byte[] read(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit);
        return in.read() == -1 ? body : null;
    }
}
