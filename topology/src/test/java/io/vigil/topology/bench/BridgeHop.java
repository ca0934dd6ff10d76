package io.vigil.topology.bench;

import io.vigil.topology.it.BridgeJvm;
import io.vigil.topology.it.ProcFs;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * The last hop of {@code scripts/bench browser}: the SSE bridge in a JVM of its own, as it runs in
 * production (its build output and runtime classpath, given by the script in {@value #CLASSPATH_PROPERTY}),
 * reading the bench broker's scores, and one SSE client in this JVM standing in for a browser: it
 * reads {@code /events?type=score} and notes when each paced point's score event arrives.
 */
final class BridgeHop implements AutoCloseable {

    static final String CLASSPATH_PROPERTY = "vigil.bench.bridge.classpath";
    static final String HEAP = "256m";
    /** The bridge's ingest route (the topology's tests cannot see the bridge's classes). */
    static final String INGEST_PATH = "/api/v1/telemetry";
    private static final String CHANNEL_FIELD = "\"channelId\":\"";
    private static final String TIME_FIELD = "\"eventTime\":";
    /** The data line of the bridge's notice that a client fell too far behind and lost its oldest events. */
    private static final String DROPPED = "data: {\"dropped\":";
    private static final Duration READER_STOP_LIMIT = Duration.ofSeconds(30);

    private final BridgeJvm bridge;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private Thread reader;

    private BridgeHop(BridgeJvm bridge) {
        this.bridge = bridge;
    }

    /** Starts the bridge; it reads scores from their end (no look-back). */
    static BridgeHop start(String bootstrap, String registryUrl, Path log) throws IOException {
        return start(bootstrap, registryUrl, log, false);
    }

    /** Starts the bridge, with its HTTP ingest on {@link #INGEST_PATH} when {@code ingest}. */
    static BridgeHop start(String bootstrap, String registryUrl, Path log, boolean ingest) throws IOException {
        String classpath = System.getProperty(CLASSPATH_PROPERTY);
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException(CLASSPATH_PROPERTY + " is not set: run the bridge bench as scripts/bench browser");
        }
        return new BridgeHop(BridgeJvm.start(classpath, HEAP, Map.of(
                "bootstrap.servers", bootstrap,
                "schema.registry.url", registryUrl,
                "bridge.lookback.scores", "0",
                "bridge.ingest.enabled", Boolean.toString(ingest)), log));
    }

    java.net.URI uri(String path) {
        return bridge.request(path).uri();
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        bridge.awaitReady(timeout);
    }

    /**
     * Opens the score stream and returns once the bridge has answered with its headers, so the client
     * is registered; a thread then reads it until the bridge stops, recording for each paced point
     * ({@link Fleet#pacedIndex}) the time from {@code sent} to its event's line.
     */
    void read(Fleet fleet, int history, AtomicLongArray sent, AtomicLongArray latency) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = bridge.send("/events?type=score", HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the bridge answered /events with " + response.statusCode());
        }
        reader = new Thread(() -> {
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> {
                    long now = System.nanoTime();
                    try {
                        if (line.startsWith(DROPPED)) {
                            dropped.addAndGet(Long.parseLong(line.substring(DROPPED.length(), line.indexOf('}'))));
                            return;
                        }
                        int index = index(line, fleet, history);
                        if (index >= 0 && index < latency.length() && latency.compareAndSet(index, -1, now - sent.get(index))) {
                            received.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        // one odd line must not end the reading: it is counted and reported
                        unreadable.incrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                // the stream ends when the bridge stops
            }
        }, "bench-sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** The paced point whose score an SSE data line carries, or -1 for any other line. */
    private static int index(String line, Fleet fleet, int history) {
        if (!line.startsWith("data:")) {
            return -1;
        }
        int c = line.indexOf(CHANNEL_FIELD);
        int t = line.indexOf(TIME_FIELD);
        if (c < 0 || t < 0) {
            return -1;
        }
        int cStart = c + CHANNEL_FIELD.length();
        String channel = line.substring(cStart, line.indexOf('"', cStart));
        int tStart = t + TIME_FIELD.length();
        int tEnd = tStart;
        while (tEnd < line.length() && Character.isDigit(line.charAt(tEnd))) {
            tEnd++;
        }
        return fleet.pacedIndex(history, Long.parseLong(line.substring(tStart, tEnd)), channel);
    }

    /** Paced points whose score event the client has read so far. */
    long received() {
        return received.get();
    }

    /** Events the bridge said it dropped for this client because it had fallen too far behind. */
    long dropped() {
        return dropped.get();
    }

    /** Lines of the stream the client could not read as an event or a notice. */
    long unreadable() {
        return unreadable.get();
    }

    /** The bridge JVM's peak resident memory so far, in MiB. */
    long peakRssMiB() throws IOException {
        return ProcFs.memoryMiB(bridge.pid(), ProcFs.PEAK_RSS);
    }

    /** Stops the bridge, and with it the stream, and waits for the client to have read its last line. */
    @Override
    public void close() throws InterruptedException {
        bridge.close();
        if (reader != null) {
            reader.join(READER_STOP_LIMIT.toMillis());
        }
    }
}
