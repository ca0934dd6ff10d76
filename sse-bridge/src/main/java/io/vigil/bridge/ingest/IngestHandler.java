package io.vigil.bridge.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.vigil.avro.TelemetryPoint;
import io.vigil.bridge.web.HttpErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code POST /api/v1/telemetry}: a JSON batch of points ({@link PointBatch}) written to the telemetry
 * topic in one transaction ({@link TelemetryWriter}). Answers:
 * <ul>
 *   <li>200 {@code {"accepted": n}}: every point is in Kafka, visible to the scorer;</li>
 *   <li>400: not JSON (or not UTF-8), no {@code points} array, an empty one;</li>
 *   <li>405: a method other than POST; 415: a body that is not {@code application/json} (which also
 *       keeps other web pages' forms and scripts from posting without a CORS preflight);</li>
 *   <li>413: a body over {@code bridge.ingest.max.bytes};</li>
 *   <li>422 {@code {"errors":[{"row":i,"field":"...","reason":"..."}], "refused": n}}: one error per
 *       refused row, the first {@value #LISTED_ERRORS} listed; nothing of the batch is written;</li>
 *   <li>503 with {@code Retry-After}: Kafka or the registry did not take the batch, or too many
 *       batches are being written already; none of it is visible;</li>
 *   <li>500: the batch cannot be written until an operator acts (the registry refuses the schema, the
 *       cluster refuses this client); none of it is visible.</li>
 * </ul>
 * A 401 for a missing token comes from the route's bearer check, before this handler.
 *
 * <p>The body is read without holding a thread (Undertow's receiver); parsing and the Kafka write run
 * on a worker thread, at most {@value #WRITERS_PER_PRODUCER} per producer at once (one writing, the
 * others waiting for it), so writes waiting for Kafka cannot take every worker from the dashboards' API. RED metrics: {@code vigil_ingest_requests_seconds}
 * by status (a histogram: rate, errors, duration, from the request to its answer) and
 * {@code vigil_ingest_points_total} by outcome.
 */
public final class IngestHandler implements HttpHandler {

    public static final String PATH = "/api/v1/telemetry";
    static final String REQUESTS = "vigil.ingest.requests";
    static final String POINTS = "vigil.ingest.points";
    /**
     * Batches per producer being written or waiting for it. Undertow's workers are eight per I/O thread
     * (16 on two cores); the default two producers take at most half of them.
     */
    static final int WRITERS_PER_PRODUCER = 4;
    /** Row errors listed in a 422; the rest are counted. */
    static final int LISTED_ERRORS = 100;

    /** Histogram buckets, so that percentiles can be summed over bridges in Prometheus. */
    private static final Duration[] LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);
    private static final String JSON_TYPE = "application/json";
    private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);

    private final IngestSettings settings;
    private final TelemetryWriter writer;
    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter refused;
    private final Semaphore writing;

    public IngestHandler(IngestSettings settings, TelemetryWriter writer, MeterRegistry registry) {
        this.settings = settings;
        this.writer = writer;
        this.registry = registry;
        this.accepted = points("accepted", registry);
        this.refused = points("refused", registry);
        this.writing = new Semaphore(WRITERS_PER_PRODUCER * settings.producers());
    }

    private static Counter points(String outcome, MeterRegistry registry) {
        return Counter.builder(POINTS).tag("outcome", outcome)
                .description("Points received over HTTP: accepted (written) or refused (in a 422 batch, none written)")
                .register(registry);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long started = System.nanoTime();
        exchange.addExchangeCompleteListener((done, next) -> {
            Timer.builder(REQUESTS).tag("status", Integer.toString(done.getStatusCode()))
                    .description("Ingest requests by answer, from the request to its answer")
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            next.proceed();
        });
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            HttpErrors.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "only POST");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(JSON_TYPE)) {
            HttpErrors.send(exchange, StatusCodes.UNSUPPORTED_MEDIA_TYPE, "the body must be " + JSON_TYPE);
            return;
        }
        if (exchange.getRequestContentLength() > settings.maxBytes()) {
            // Answered before the body is read: a client that sent Expect: 100-continue sends none of it.
            tooLarge(exchange);
            return;
        }
        // Read as it comes and counted: Undertow's entity limit does not stop a chunked body, and a
        // body must never grow past the limit in memory.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean[] overLimit = {false};
        exchange.getRequestReceiver().receivePartialBytes(
                (ex, chunk, last) -> {
                    if (overLimit[0]) {
                        return;
                    }
                    if (body.size() + chunk.length > settings.maxBytes()) {
                        overLimit[0] = true;
                        tooLarge(ex);
                        return;
                    }
                    body.write(chunk, 0, chunk.length);
                    if (last) {
                        ex.dispatch(() -> parseAndWrite(ex, body.toByteArray()));
                    }
                },
                (ex, error) -> {
                    // The client went away mid-body: there is nobody to answer.
                    ex.endExchange();
                });
    }

    private void parseAndWrite(HttpServerExchange exchange, byte[] body) {
        PointBatch.Parsed parsed = PointBatch.parse(body, settings.maxPoints());
        if (parsed instanceof PointBatch.Malformed m) {
            HttpErrors.send(exchange, StatusCodes.BAD_REQUEST, m.reason());
            return;
        }
        if (parsed instanceof PointBatch.Refused r) {
            refused.increment(r.rows());
            refuse(exchange, r);
            return;
        }
        if (!writing.tryAcquire()) {
            unavailable(exchange, 0, "too many batches are being written; try again shortly");
            return;
        }
        List<TelemetryPoint> points = ((PointBatch.Accepted) parsed).points();
        try {
            writer.write(points);
        } catch (TelemetryWriter.Unavailable e) {
            unavailable(exchange, points.size(), e.getMessage());
            return;
        } catch (TelemetryWriter.Unwritable e) {
            log.atError().setMessage("ingest batch cannot be written").addKeyValue("points", points.size())
                    .addKeyValue("reason", e.getMessage()).log();
            HttpErrors.send(exchange, StatusCodes.INTERNAL_SERVER_ERROR, e.getMessage());
            return;
        } finally {
            writing.release();
        }
        accepted.increment(points.size());
        HttpErrors.json(exchange, StatusCodes.OK, Map.of("accepted", points.size()));
    }

    private void unavailable(HttpServerExchange exchange, int points, String reason) {
        log.atWarn().setMessage("ingest batch not written").addKeyValue("points", points).addKeyValue("reason", reason).log();
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(settings.retryAfter().toSeconds()));
        HttpErrors.send(exchange, StatusCodes.SERVICE_UNAVAILABLE, reason);
    }

    private static void refuse(HttpServerExchange exchange, PointBatch.Refused batch) {
        List<RowError> errors = batch.errors();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", errors.size() + " error(s) in a batch of " + batch.rows() + " rows; nothing of the batch was written");
        body.put("refused", errors.size());
        body.put("errors", errors.size() > LISTED_ERRORS ? errors.subList(0, LISTED_ERRORS) : errors);
        HttpErrors.json(exchange, StatusCodes.UNPROCESSABLE_ENTITY, body);
    }

    private void tooLarge(HttpServerExchange exchange) {
        // What is left of the body is not read: the connection closes after the answer.
        exchange.setPersistent(false);
        HttpErrors.send(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
                "the body exceeds " + settings.maxBytes() + " bytes (bridge.ingest.max.bytes)");
    }
}
