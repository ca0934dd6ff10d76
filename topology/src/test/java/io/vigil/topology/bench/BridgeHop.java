package io.vigil.topology.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    private static final String HEAP = "256m";
    private static final String CHANNEL_FIELD = "\"channelId\":\"";
    private static final String TIME_FIELD = "\"eventTime\":";
    /** The data line of the bridge's notice that a client fell too far behind and lost its oldest events. */
    private static final String DROPPED = "data: {\"dropped\":";

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong dropped = new AtomicLong();

    private BridgeHop(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the bridge on a free loopback port; it reads scores from their end (no look-back). */
    static BridgeHop start(String bootstrap, String registryUrl, Path log) throws IOException {
        String classpath = System.getProperty(CLASSPATH_PROPERTY);
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException(CLASSPATH_PROPERTY + " is not set: run the bridge bench as scripts/bench browser");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro",
                "-Dorg.jboss.logging.provider=slf4j",
                "-Dvigil.bridge.port=" + port,
                "-Dvigil.bootstrap.servers=" + bootstrap,
                "-Dvigil.schema.registry.url=" + registryUrl,
                "-Dvigil.bridge.lookback.scores=0",
                "-cp", classpath, "io.vigil.bridge.SseBridge");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new BridgeHop(process, port);
    }

    String heap() {
        return HEAP;
    }

    /** Waits until {@code /health} answers 200: the bridge's feeds are at the end of their topics. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bridge exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> health = http.send(request("/health"), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the bridge was not ready within " + timeout);
    }

    /**
     * Opens the score stream and returns once the bridge has answered with its headers, so the client
     * is registered; a thread then reads it until the bridge stops, recording for each paced point
     * (by index, as {@link Fleet} numbers them from round {@code history}) the time from {@code sent}
     * to its event's line.
     */
    Thread read(Fleet fleet, int history, AtomicLongArray sent, AtomicLongArray latency) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(request("/events?type=score"), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the bridge answered /events with " + response.statusCode());
        }
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> {
                    long now = System.nanoTime();
                    if (line.startsWith(DROPPED)) {
                        dropped.addAndGet(Long.parseLong(line.substring(DROPPED.length(), line.indexOf('}'))));
                        return;
                    }
                    int index = index(line, fleet, history);
                    if (index >= 0 && index < latency.length()) {
                        latency.compareAndSet(index, -1, now - sent.get(index));
                    }
                });
            } catch (RuntimeException e) {
                // the stream ends when the bridge stops
            }
        }, "bench-sse-client");
        reader.setDaemon(true);
        reader.start();
        return reader;
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
        long eventTime = Long.parseLong(line.substring(tStart, tEnd));
        return (fleet.round(eventTime) - history) * fleet.channels() + Fleet.channelNumber(channel);
    }

    /** Events the bridge said it dropped for this client because it had fallen too far behind. */
    long dropped() {
        return dropped.get();
    }

    /** The bridge JVM's peak resident memory (VmHWM), in MiB. */
    long peakRssMiB() throws IOException {
        return Footprint.peakRssMiB(process.pid());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
