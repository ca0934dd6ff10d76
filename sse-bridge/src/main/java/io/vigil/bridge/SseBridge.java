package io.vigil.bridge;

import io.vigil.avro.ChannelScore;
import io.vigil.bridge.events.FanOutHub;
import io.vigil.bridge.kafka.FeedStatus;
import io.vigil.bridge.kafka.ScoreFeed;
import io.vigil.bridge.kafka.ScoreForwarder;
import io.vigil.bridge.web.Health;
import io.vigil.bridge.web.WebServer;
import io.vigil.config.Settings;
import io.vigil.schemas.registry.RegistryConfig;
import io.vigil.schemas.serde.AvroSerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The SSE bridge process: one Kafka consumer of scores feeding a fan-out hub that streams them to
 * browsers at {@code /events}, next to the dashboard, {@code /health} and {@code /metrics}. It owns
 * the start and stop order: the web side starts first (so {@code /health} answers "starting" while
 * Kafka is away) and the consumer stops first (so nothing is published into a closing hub).
 */
public final class SseBridge implements AutoCloseable {

    /** How long one Kafka metadata or offset lookup may block before the feed backs off. */
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(SseBridge.class);

    private final Deque<AutoCloseable> resources; // closed last-opened first
    private final WebServer web;

    private SseBridge(Deque<AutoCloseable> resources, WebServer web) {
        this.resources = resources;
        this.web = web;
    }

    /**
     * Runs the bridge until SIGTERM/SIGINT, configured as described in {@link BridgeConfig}. Expects
     * {@code -Dorg.jboss.logging.provider=slf4j}, and sets it itself when absent.
     */
    public static void main(String[] args) {
        // Read once when jboss-logging initialises, so it must be set before any Undertow class logs.
        setIfAbsent("org.jboss.logging.provider", "slf4j");
        BridgeConfig config = configFromSystem();
        Deserializer<ChannelScore> decoder = AvroSerde.configured(ChannelScore.class,
                Map.of(RegistryConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl()), false).deserializer();
        SseBridge bridge = start(config, decoder);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            bridge.close();
        }, "bridge-shutdown"));
        log.atInfo().addKeyValue("topic", config.topic()).addKeyValue("bootstrap", config.bootstrapServers())
                .addKeyValue("registry", config.schemaRegistryUrl())
                .log("SSE bridge serving {}", bridge.url());
    }

    /** Starts serving and consuming; {@code decoder} is closed with the bridge. */
    public static SseBridge start(BridgeConfig config, Deserializer<ChannelScore> decoder) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        opened.push(decoder::close);
        try {
            BridgeMetrics metrics = new BridgeMetrics();
            opened.push(metrics);
            FanOutHub hub = new FanOutHub(config.clientQueueSize(), config.keepAlive(), metrics.registry());
            ScoreForwarder forwarder = new ScoreForwarder(decoder, hub::publish, metrics.registry());
            ScoreFeed feed = new ScoreFeed(ScoreFeed.kafkaConsumers(config.bootstrapServers()), config.topic(),
                    forwarder, METADATA_TIMEOUT);
            WebServer web = WebServer.start(config.host(), config.port(), hub,
                    () -> health(config, feed.status(), hub), metrics.registry());
            opened.push(web);
            opened.push(hub);
            feed.start();
            opened.push(feed);
            return new SseBridge(opened, web);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static Health health(BridgeConfig config, FeedStatus feed, FanOutHub hub) {
        return new Health(feed.ready(), Map.of(
                "detail", feed.detail(),
                "topic", config.topic(),
                "partitions", feed.partitions(),
                "clients", hub.clientCount()));
    }

    public String url() {
        return web.url();
    }

    public int port() {
        return web.port();
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

    private static BridgeConfig configFromSystem() {
        return BridgeConfig.from(Settings.fromSystem());
    }
}
