package io.vigil.topology.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for a server process the tests started (Prometheus, Alertmanager) to answer its readiness URL. */
public final class ReadyProcess {

    private ReadyProcess() {}

    /**
     * Returns once {@code ready} answers 200; fails when {@code process} exits first or {@code limit}
     * passes, naming {@code name}.
     */
    public static void await(Process process, String name, URI ready, Duration limit) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + limit);
    }
}
