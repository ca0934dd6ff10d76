package io.vigil.bridge.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.LiveEvent;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.SseClient;
import io.vigil.bridge.resume.CatchUpReader;
import io.vigil.bridge.resume.Resumer;
import io.vigil.bridge.testing.Events;
import io.vigil.bridge.views.ViewSettings;
import io.vigil.bridge.views.Views;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The web side with a real hub, resumer and views, but no Kafka: events are published by the test, and
 * resumes that would need Kafka are recorded in {@link #kafkaResumes} instead, unless the test brings
 * its own {@link Readers} (a real {@link CatchUpReader} over a mock consumer, say).
 */
final class TestServer implements AutoCloseable {

    /** The Kafka side of resumes, made for the server it serves. */
    interface Readers {
        CatchUpReader.Factory of(TestServer server);
    }

    /** Records each resume that needs Kafka in {@link #kafkaResumes}, and reads nothing. */
    static final Readers RECORDED = server -> (client, from) -> () -> server.kafkaResumes.add(client);

    static final Duration WAIT = Duration.ofSeconds(10);

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final FanOutHub hub;
    final Views views = new Views(new ViewSettings(1000, 100, 2000, 1000));
    final Resumer resumer;
    final WebServer server;
    final AtomicReference<Health> health =
            new AtomicReference<>(Health.starting(Map.of("detail", "waiting for Kafka")));
    final BlockingQueue<SseClient> kafkaResumes = new LinkedBlockingQueue<>();
    final Events events = new Events(Events.start());
    private final List<AutoCloseable> clients = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

    TestServer(HubSettings hubSettings, WebSettings web) {
        this(hubSettings, web, RECORDED);
    }

    TestServer(HubSettings hubSettings, WebSettings web, Readers readers) {
        hub = new FanOutHub(hubSettings, registry);
        resumer = new Resumer(hub, readers.of(this), 1, registry);
        server = WebServer.start(web, hub, resumer, views, health::get, registry);
        hub.begin(events.position());
        resumer.ready();
    }

    TestServer(int queueSize) {
        this(new HubSettings(queueSize, 1000, Duration.ofSeconds(15), Duration.ofSeconds(60), 100),
                WebSettings.local(0));
    }

    void publish(LiveEvent... batch) {
        hub.publish(List.of(batch), events.position());
    }

    Position position() {
        return events.position();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(WAIT).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Closes {@code closeable} (a client stream) before the server, when the test ends. */
    <T extends AutoCloseable> T track(T closeable) {
        clients.add(closeable);
        return closeable;
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a test client", e);
            }
        }
        resumer.close();
        hub.close();
        server.close();
        registry.close();
    }
}
