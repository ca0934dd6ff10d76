package io.vigil.bridge.bench;

import java.io.IOException;
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

/** The bridge under test in a JVM of its own, configured as in production, so its memory is its own. */
final class BridgeProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    BridgeProcess(String heap, int port, Map<String, String> settings, Path log) throws IOException {
        this.port = port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro",
                "-Dorg.jboss.logging.provider=slf4j", "-Dvigil.bridge.port=" + port));
        settings.forEach((k, v) -> command.add("-Dvigil." + k + "=" + v));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.vigil.bridge.SseBridge"));
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    long pid() {
        return process.pid();
    }

    void awaitReady(Duration timeout) throws Exception {
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

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of a Prometheus metric's samples whose line starts with {@code prefix}. */
    double metric(String prefix) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Resident memory from /proc, in MiB. */
    long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** User plus system CPU time of the bridge so far, in seconds. */
    double cpuSeconds() throws IOException {
        return cpuSeconds(process.pid());
    }

    /** User plus system CPU time of a process so far, in seconds (Linux /proc). */
    static double cpuSeconds(long pid) throws IOException {
        String[] stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"))
                .replaceFirst("^.*\\) ", "").split(" ");
        // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name is cut.
        return (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
