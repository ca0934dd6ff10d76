package io.vigil.local.registry;

import com.sun.net.httpserver.HttpServer;
import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Confluent-compatible schema registry for local use: Avro only, storing everything in the
 * compacted Kafka topic {@code _schemas} ({@link Topics#SCHEMAS}), so schema ids survive restarts of
 * the registry as long as the broker's data does.
 *
 * <p>What it decides: one instance per topic (it assigns ids and versions from memory, so a second
 * writer would hand out duplicates); it listens on loopback only, since it has no authentication; it
 * serves only after it has read the whole topic, so an id it answers with is never reassigned.
 * Deleting subjects or versions, references, and JSON Schema or Protobuf are not supported.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalSchemaRegistry.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaLog store;
    private final SchemaRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalSchemaRegistry(HttpServer server, ExecutorService executor, SchemaLog store, SchemaRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.registry = registry;
    }

    /**
     * Creates {@code _schemas} if missing, reads it to the end, then serves HTTP on {@code port}
     * (0 picks a free port) of the loopback address.
     */
    /** What the registry process reads: how to reach Kafka, and its port ({@code registry.port}, 8081). */
    public record Config(ClientSettings clients, int port) {
        public static Config from(Settings s) {
            return new Config(ClientSettings.from(s), s.getInt("registry.port", 8081));
        }
    }

    /** Starts on {@code port} over a broker reached without security settings. */
    public static LocalSchemaRegistry start(String bootstrapServers, int port) {
        return start(ClientSettings.local(bootstrapServers, ClientSettings.DEFAULT_REGISTRY_URL), port);
    }

    /** Starts on {@code port}, its log in Kafka reached with {@code clients}' settings (TLS, SASL). */
    public static LocalSchemaRegistry start(ClientSettings clients, int port) {
        SchemaLog store = null;
        try {
            store = SchemaLog.open(clients, Topics.SCHEMAS.name(), STARTUP_TIMEOUT);
            SchemaRegistry registry = SchemaRegistry.load(store);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4, daemonThreads());
            server.setExecutor(executor);
            server.createContext("/", new RestApi(registry));
            server.start();
            return new LocalSchemaRegistry(server, executor, store, registry);
        } catch (IOException e) {
            closeQuietly(store);
            throw new UncheckedIOException("could not start the schema registry on port " + port, e);
        } catch (InterruptedException e) {
            closeQuietly(store);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the schema registry", e);
        } catch (RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8081}, without a trailing slash. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Stops serving and closes the Kafka producer. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        store.close();
    }

    /**
     * Runs the registry until SIGTERM or SIGINT. Settings: Kafka as {@link ClientSettings}
     * ({@code bootstrap.servers}, default localhost:9092, and {@code kafka.*}) and {@code registry.port}
     * (default 8081), as system properties {@code vigil.*} or environment variables {@code VIGIL_*}.
     */
    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.fromSystem();
        Config config = Config.from(settings);
        String bootstrap = config.clients().bootstrapServers();
        LocalSchemaRegistry registry;
        try {
            registry = start(config.clients(), config.port());
            settings.warnUnknownKeys();
        } catch (RuntimeException e) {
            log.error("schema registry could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            log.info("Schema registry stopped");
            stopped.countDown();
        }, "schema-registry-shutdown"));
        log.info("Schema registry ready at {} ({} subjects in topic {} on {})", registry.url(),
                registry.registry.subjects().size(), Topics.SCHEMAS.name(), bootstrap);
        stopped.await();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "schema-registry-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(SchemaLog store) {
        if (store != null) {
            store.close();
        }
    }
}
