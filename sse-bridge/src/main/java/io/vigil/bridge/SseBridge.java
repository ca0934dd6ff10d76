package io.vigil.bridge;

import io.micrometer.core.instrument.Counter;
import io.vigil.avro.Heartbeat;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.ingest.IngestHandler;
import io.vigil.bridge.ingest.KafkaTelemetryWriter;
import io.vigil.bridge.kafka.Decoders;
import io.vigil.bridge.kafka.Feed;
import io.vigil.bridge.kafka.FeedStatus;
import io.vigil.bridge.kafka.HeartbeatWatch;
import io.vigil.bridge.kafka.KafkaConsumers;
import io.vigil.bridge.kafka.RecordDecoder;
import io.vigil.bridge.resume.CatchUpReader;
import io.vigil.bridge.resume.Resumer;
import io.vigil.bridge.views.Views;
import io.vigil.bridge.web.Health;
import io.vigil.bridge.web.WebServer;
import io.vigil.config.ConnectionCheck;
import io.vigil.config.Settings;
import io.vigil.metrics.ServiceMeters;
import io.vigil.schemas.serde.AvroSerde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The SSE bridge process: one Kafka consumer of scores, anomalies, node status and labels feeding the
 * REST views and a fan-out hub that streams them to browsers at {@code /events}, next to the
 * dashboard, {@code /api/*}, {@code /health} and {@code /metrics}; with {@code bridge.ingest.enabled},
 * it also takes points over HTTP and writes them to the telemetry topic. Ingest lives here rather
 * than in a service of its own because it needs what the bridge already has (an HTTP listener with
 * TLS, bearer tokens, metrics and Kafka and registry clients), and is off by default, so a bridge
 * scaled out for dashboards takes no writes unless it is told to. It owns the start and stop order:
 * the web side starts first (so {@code /health} answers "starting" while Kafka is away) and the
 * consumer stops first (so nothing is published into a closing hub).
 */
public final class SseBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SseBridge.class);

    private final Deque<AutoCloseable> resources; // closed last-opened first
    private final WebServer web;
    private final FanOutHub hub;

    private SseBridge(Deque<AutoCloseable> resources, WebServer web, FanOutHub hub) {
        this.resources = resources;
        this.web = web;
        this.hub = hub;
    }

    /**
     * Runs the bridge until SIGTERM/SIGINT, configured as described in {@link BridgeConfig}. Expects
     * {@code -Dorg.jboss.logging.provider=slf4j}, and sets it itself when absent.
     */
    public static void main(String[] args) {
        // Read once when jboss-logging initialises, so it must be set before any Undertow class logs.
        setIfAbsent("org.jboss.logging.provider", "slf4j");
        Settings settings = Settings.fromSystem();
        BridgeConfig config = BridgeConfig.from(settings);
        settings.warnUnknownKeys();
        ConnectionCheck.runOrExit(config.clients(), log);
        SseBridge bridge = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            bridge.close();
        }, "bridge-shutdown"));
        log.atInfo().addKeyValue("clients", config.clients())
                .addKeyValue("auth", config.web().authToken() == null ? "off" : "bearer")
                .addKeyValue("ingest", config.ingest())
                .log("SSE bridge serving {}", bridge.url());
    }

    /** Starts serving and consuming, decoding through the configured schema registry. */
    public static SseBridge start(BridgeConfig config) {
        return start(config, Decoders.registry(config.clients().registry().serdeConfig()));
    }

    /** Starts serving and consuming; {@code decoders} are closed with the bridge. */
    public static SseBridge start(BridgeConfig config, Decoders decoders) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        opened.push(decoders);
        try {
            ServiceMeters metrics = new ServiceMeters("sse-bridge");
            opened.push(metrics);
            RecordDecoder decoder = new RecordDecoder(decoders, metrics.registry());
            FanOutHub hub = new FanOutHub(config.hub(), metrics.registry());
            Views views = new Views(config.views());
            Counter staleIds = CatchUpReader.staleCounter(metrics.registry());
            CatchUpReader.Factory readers = (client, from) -> new CatchUpReader(
                    KafkaConsumers.catchUp(config.clients()), decoder, views::sourceOf, hub, client, from,
                    config.lookback(), config.resumeMaxRecords(), config.kafkaLookupTimeout(), staleIds);
            Resumer resumer = new Resumer(hub, readers, config.resumeConcurrency(), metrics.registry());
            Feed feed = new Feed(KafkaConsumers.feed(config.clients()), decoder,
                    new FeedFanOut(views, hub, resumer), config.lookback(), config.kafkaLookupTimeout(), metrics.registry());
            WebServer.WriteRoute writes = null;
            if (config.ingest().enabled()) {
                KafkaTelemetryWriter writer = KafkaTelemetryWriter.create(config.clients(), config.ingest());
                opened.push(writer); // closed after the web server, which stops taking writes first
                writes = new WebServer.WriteRoute(IngestHandler.PATH, config.ingest().token(),
                        new IngestHandler(config.ingest(), writer, metrics.registry()));
            }
            WebServer web = WebServer.start(config.web(), hub, resumer, views,
                    () -> health(feed.status(), hub), metrics.registry(), writes);
            opened.push(web);
            opened.push(hub);
            opened.push(resumer);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bridge-ticker");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(() -> tick(hub), 1, 1, TimeUnit.SECONDS);
            opened.push(ticker::shutdownNow);
            feed.start();
            opened.push(feed);
            HeartbeatWatch heartbeats = new HeartbeatWatch(KafkaConsumers.heartbeats(config.clients()),
                    AvroSerde.configured(Heartbeat.class, config.clients().registry().serdeConfig(), false).deserializer(),
                    views::heartbeat, config.kafkaLookupTimeout());
            heartbeats.start();
            opened.push(heartbeats);
            return new SseBridge(opened, web, hub);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void tick(FanOutHub hub) {
        try {
            hub.tick();
        } catch (RuntimeException e) {
            // A failed tick must not cancel the schedule (an exception would).
            log.warn("ticker failed", e);
        }
    }

    private static Health health(FeedStatus feed, FanOutHub hub) {
        String status = switch (feed.phase()) {
            case STARTING -> "starting";
            case CATCHING_UP -> "catching up";
            case READY -> "ready";
        };
        return new Health(status, feed.ready(), Map.of(
                "detail", feed.detail(),
                "partitions", feed.partitions(),
                "lag", feed.lag(),
                "clients", hub.clientCount(),
                "history", hub.historySize()));
    }

    public String url() {
        return web.url();
    }

    public int port() {
        return web.port();
    }

    /** The fan-out hub, for tests and benchmarks that look at clients and counters. */
    public FanOutHub hub() {
        return hub;
    }

    /** Stops the consumer, ends the streams, stops the server; safe to call more than once. */
    @Override
    public void close() {
        synchronized (resources) {
            closeAll(resources);
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("error while stopping {}", resource, e);
            }
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
