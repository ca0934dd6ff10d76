package io.vigil.notifier;

import io.vigil.topology.it.ReadyProcess;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager (Debian's, installed by {@code scripts/install-alertmanager.sh}) that notifies
 * {@code webhook} of every alert on its own (grouped by every label, so one notification per alert),
 * within about a second, resolved ones included. Clustering is off; its data lives in {@code dir}.
 */
final class AlertmanagerServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;

    private AlertmanagerServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static AlertmanagerServer start(Path dir, URI webhook) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: run scripts/install-alertmanager.sh (the module's build does)");
        }
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: test
                  group_by: ['...']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: test
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                """.formatted(webhook));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("alertmanager.log");
        Process process = new ProcessBuilder(List.of(BINARY.toString(), "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=", "--log.level=warn"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerServer server = new AlertmanagerServer(process, port, log);
        try {
            server.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What Alertmanager logged, for a failure message. */
    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void awaitReady() throws InterruptedException {
        ReadyProcess.await(process, "alertmanager", URI.create(url() + "/-/ready"), READY_LIMIT);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
