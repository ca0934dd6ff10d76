package io.vigil.topology.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The SSE bridge in a JVM of its own, configured as in production, for the benchmarks that measure
 * it: its memory and CPU are its own, and it decodes through a registry over HTTP
 * ({@link RegistryEndpoint}). It listens on a free loopback port. The JVM is stopped on
 * {@link #close} and, should the benchmark die first, when this JVM exits.
 */
public final class BridgeJvm implements AutoCloseable {

    private static final String MAIN_CLASS = "io.vigil.bridge.SseBridge";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final Process process;
    private final Thread reaper;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private BridgeJvm(Process process, int port) {
        this.process = process;
        this.port = port;
        this.reaper = new Thread(process::destroyForcibly, "bridge-jvm-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts the bridge from {@code classpath} with heap {@code heap} (as {@code -Xmx} takes it) and
     * settings given as the bridge reads them without their {@code vigil.} prefix
     * ({@code bootstrap.servers}, {@code bridge.lookback.scores}); its output goes to {@code log}.
     */
    public static BridgeJvm start(String classpath, String heap, Map<String, String> settings, Path log) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro",
                "-Dorg.jboss.logging.provider=slf4j", "-Dvigil.bridge.port=" + port));
        settings.forEach((k, v) -> command.add("-Dvigil." + k + "=" + v));
        command.addAll(List.of("-cp", classpath, MAIN_CLASS));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new BridgeJvm(process, port);
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** Waits until {@code /health} answers 200: the bridge's feeds are at the end of their topics. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bridge exited with " + process.exitValue());
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the bridge was not ready within " + timeout);
    }

    public HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }

    public <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        return http.send(request(path), body);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the bridge's Prometheus samples whose line starts with {@code prefix}. */
    public double metric(String prefix) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // this JVM is already exiting, and the reaper with it
        }
    }
}
