package io.vigil.replay.prometheus;

import com.sun.net.httpserver.HttpServer;
import io.vigil.topology.it.ReadyProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real Prometheus (Debian's, installed by {@code scripts/install-prometheus.sh}) scraping, every
 * second, a target this JVM serves: {@code /metrics} in the text exposition format, as
 * {@code exposition} gives it at each scrape. Its data lives in a temporary directory and goes with it.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    private final HttpServer target;
    private final Process process;
    private final int port;

    private PrometheusServer(HttpServer target, Process process, int port) {
        this.target = target;
        this.process = process;
        this.port = port;
    }

    public static PrometheusServer start(Path dir, Supplier<String> exposition) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: run scripts/install-prometheus.sh (the module's build does)");
        }
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        target.start();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: vigil-test
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(target.getAddress().getPort()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(List.of(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(target, process, port);
        try {
            server.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            server.close(); // neither the process nor the target outlives a start that failed
            throw e;
        }
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() throws InterruptedException {
        ReadyProcess.await(process, "prometheus", URI.create(url() + "/-/ready"), READY_LIMIT);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        target.stop(0);
    }
}
