package io.vigil.bridge;

import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.ingest.IngestSettings;
import io.vigil.bridge.kafka.Lookback;
import io.vigil.bridge.views.ViewSettings;
import io.vigil.bridge.web.WebSettings;
import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import io.vigil.tls.TlsContexts;
import java.util.Optional;
import javax.net.ssl.SSLContext;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bridge's settings, read once at start-up through {@link Settings} (system property
 * {@code vigil.<key>}, then environment {@code VIGIL_<KEY>}, then the default).
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code bootstrap.servers}, {@code schema.registry.url}, {@code kafka.*}, ...</td><td>how to reach Kafka and the registry: {@link ClientSettings}</td></tr>
 *   <tr><td>{@code bridge.host}, {@code bridge.port}</td><td>127.0.0.1, 8080</td></tr>
 *   <tr><td>{@code bridge.auth.token}</td><td>empty: no authentication (loopback only, unless {@code bridge.auth.open=true}); else the bearer token (16+ printable ASCII); {@code VIGIL_BRIDGE_AUTH_TOKEN_FILE} reads it from a file</td></tr>
 *   <tr><td>{@code bridge.tls.keystore.location}, {@code .password}, {@code .type}, {@code bridge.tls.key.password}</td><td>empty: plain HTTP; else HTTPS only, with this certificate</td></tr>
 *   <tr><td>{@code bridge.cors.origins}</td><td>empty: none; comma-separated origins, or {@code *}</td></tr>
 *   <tr><td>{@code bridge.max.clients}</td><td>1000 open streams; more get 503</td></tr>
 *   <tr><td>{@code bridge.filter.max.channels}, {@code bridge.filter.max.length}</td><td>100 values per filter, 200 characters each</td></tr>
 *   <tr><td>{@code bridge.resume.id.max.length}, {@code bridge.resume.id.max.partitions}</td><td>4096 characters, 1024 partitions per topic in a resume id (at least the topics' partition count)</td></tr>
 *   <tr><td>{@code bridge.http.max.header.bytes}</td><td>65536: request line and headers, more get 400</td></tr>
 *   <tr><td>{@code bridge.client.queue.size}</td><td>1000 events a client may fall behind before its oldest unread are dropped</td></tr>
 *   <tr><td>{@code bridge.keepalive.seconds}, {@code bridge.client.stall.seconds}</td><td>15, 60</td></tr>
 *   <tr><td>{@code bridge.history.size}</td><td>20000 recent events kept for resumes</td></tr>
 *   <tr><td>{@code bridge.lookback.scores}, {@code bridge.lookback.segments}</td><td>1000, 10000 records per partition read back at start</td></tr>
 *   <tr><td>{@code bridge.resume.concurrency}, {@code bridge.resume.max.records}</td><td>2 Kafka catch-up readers at a time, 1000000 records at most per resume</td></tr>
 *   <tr><td>{@code bridge.views.max.keys}, {@code bridge.views.segments}</td><td>100000 channels (and nodes), 5000 recent anomaly and label segments</td></tr>
 *   <tr><td>{@code bridge.views.chart.points}, {@code bridge.views.chart.channels}</td><td>2000 recent scores per channel for a chart that opens with its past, kept for the first 1000 channels (about 50 MB at most); 0 keeps none</td></tr>
 *   <tr><td>{@code bridge.kafka.lookup.seconds}</td><td>5: how long one Kafka metadata or offset lookup may block before the feed backs off and says why</td></tr>
 *   <tr><td>{@code bridge.ingest.enabled}</td><td>false: no {@code POST /api/v1/telemetry}; true takes JSON batches of points and writes them to the telemetry topic</td></tr>
 *   <tr><td>{@code bridge.ingest.token}</td><td>empty: writes need {@code bridge.auth.token}, if set; else the bearer token writes need, so the read token need not grant writes ({@code VIGIL_BRIDGE_INGEST_TOKEN_FILE} reads it from a file)</td></tr>
 *   <tr><td>{@code bridge.ingest.max.points}, {@code bridge.ingest.max.bytes}</td><td>10000 points, 1048576 bytes per request (more: 422, 413)</td></tr>
 *   <tr><td>{@code bridge.ingest.producers}, {@code bridge.ingest.kafka.timeout.ms}, {@code bridge.ingest.retry.after.seconds}</td><td>2 transactional producers (requests writing at once), 5000 ms a request may wait for Kafka before 503, 5 s of Retry-After</td></tr>
 *   <tr><td>{@code bridge.ingest.transactional.id.prefix}</td><td>vigil-bridge-ingest: followed by the host name (a pod's name) and the producer's slot</td></tr>
 * </table>
 *
 * <p>The listener binds to the loopback address by default so that a developer's dashboard is not
 * exposed to the network by accident; containers set {@code bridge.host=0.0.0.0} explicitly, and then
 * must set a token: a bridge reachable from the network without one refuses to start unless
 * {@code bridge.auth.open=true} says that is meant.
 */
public record BridgeConfig(
        ClientSettings clients,
        WebSettings web,
        HubSettings hub,
        Lookback lookback,
        int resumeConcurrency,
        long resumeMaxRecords,
        ViewSettings views,
        Duration kafkaLookupTimeout,
        IngestSettings ingest) {

    public static final String DEFAULT_HOST = "127.0.0.1";

    public BridgeConfig {
        requireText("bootstrap.servers", clients.bootstrapServers());
        requireText("schema.registry.url", clients.registry().url());
        if (resumeConcurrency < 1 || resumeMaxRecords < 1) {
            throw new IllegalArgumentException("bridge.resume.* must be positive");
        }
        if (kafkaLookupTimeout.isNegative() || kafkaLookupTimeout.isZero()) {
            throw new IllegalArgumentException("bridge.kafka.lookup.seconds must be positive");
        }
    }

    /** Reads every key once; a malformed number fails here, at start-up, rather than later. */
    public static BridgeConfig from(Settings s) {
        WebSettings web = new WebSettings(
                s.get("bridge.host", DEFAULT_HOST),
                s.getInt("bridge.port", 8080),
                s.find("bridge.auth.token").orElse(null),
                list(s.get("bridge.cors.origins", "")),
                s.getInt("bridge.filter.max.channels", 100),
                s.getInt("bridge.filter.max.length", 200),
                new PositionCodec.Limits(
                        s.getInt("bridge.resume.id.max.length", PositionCodec.DEFAULT_MAX_LENGTH),
                        s.getInt("bridge.resume.id.max.partitions", PositionCodec.DEFAULT_MAX_PARTITIONS)),
                s.getInt("bridge.http.max.header.bytes", WebSettings.DEFAULT_MAX_HEADER_BYTES),
                tls(s));
        boolean openOnPurpose = s.getBoolean("bridge.auth.open", false);
        if (web.authToken() == null && !web.loopbackOnly() && !openOnPurpose) {
            throw new IllegalArgumentException("bridge.host " + web.host() + " is reachable from the network and no "
                    + "bridge.auth.token is set; set one (VIGIL_BRIDGE_AUTH_TOKEN_FILE reads a mounted Secret), or "
                    + "bridge.auth.open=true to serve without authentication on purpose");
        }
        HubSettings hub = new HubSettings(
                s.getInt("bridge.client.queue.size", 1000),
                s.getInt("bridge.history.size", 20_000),
                Duration.ofSeconds(s.getLong("bridge.keepalive.seconds", 15)),
                Duration.ofSeconds(s.getLong("bridge.client.stall.seconds", 60)),
                s.getInt("bridge.max.clients", 1000));
        return new BridgeConfig(
                ClientSettings.from(s),
                web, hub,
                new Lookback(s.getLong("bridge.lookback.scores", 1000), s.getLong("bridge.lookback.segments", 10_000)),
                s.getInt("bridge.resume.concurrency", 2),
                s.getLong("bridge.resume.max.records", 1_000_000),
                new ViewSettings(
                        s.getInt("bridge.views.max.keys", 100_000),
                        s.getInt("bridge.views.segments", 5000),
                        s.getInt("bridge.views.chart.points", 2000),
                        s.getInt("bridge.views.chart.channels", 1000)),
                Duration.ofSeconds(s.getLong("bridge.kafka.lookup.seconds", 5)),
                new IngestSettings(
                        s.getBoolean("bridge.ingest.enabled", false),
                        s.find("bridge.ingest.token").orElse(null),
                        s.getInt("bridge.ingest.max.points", IngestSettings.DEFAULT_MAX_POINTS),
                        s.getInt("bridge.ingest.max.bytes", IngestSettings.DEFAULT_MAX_BYTES),
                        s.getInt("bridge.ingest.producers", IngestSettings.DEFAULT_PRODUCERS),
                        Duration.ofMillis(s.getLong("bridge.ingest.kafka.timeout.ms", IngestSettings.DEFAULT_KAFKA_TIMEOUT.toMillis())),
                        Duration.ofSeconds(s.getLong("bridge.ingest.retry.after.seconds", IngestSettings.DEFAULT_RETRY_AFTER.toSeconds())),
                        s.get("bridge.ingest.transactional.id.prefix", IngestSettings.DEFAULT_TRANSACTIONAL_ID_PREFIX)));
    }

    private static SSLContext tls(Settings s) {
        Optional<String> location = s.find("bridge.tls.keystore.location");
        String password = s.find("bridge.tls.keystore.password").orElse(null);
        String type = s.find("bridge.tls.keystore.type").orElse(null);
        String keyPassword = s.find("bridge.tls.key.password").orElse(null);
        return location.map(l -> TlsContexts.of(
                new TlsContexts.Store("bridge.tls.keystore.location", l, type, password), keyPassword, null)).orElse(null);
    }

    /** Defaults with the given Kafka and registry, on a free loopback port: for tests. */
    public static BridgeConfig local(String bootstrapServers, String schemaRegistryUrl) {
        return from(Settings.of(java.util.Map.of(
                "vigil.bootstrap.servers", bootstrapServers,
                "vigil.schema.registry.url", schemaRegistryUrl,
                "vigil.bridge.port", "0")));
    }

    public BridgeConfig withWeb(WebSettings changed) {
        return new BridgeConfig(clients, changed, hub, lookback, resumeConcurrency,
                resumeMaxRecords, views, kafkaLookupTimeout, ingest);
    }

    public BridgeConfig withHub(HubSettings changed) {
        return new BridgeConfig(clients, web, changed, lookback, resumeConcurrency,
                resumeMaxRecords, views, kafkaLookupTimeout, ingest);
    }

    public BridgeConfig withResume(int concurrency, long maxRecords) {
        return new BridgeConfig(clients, web, hub, lookback, concurrency, maxRecords,
                views, kafkaLookupTimeout, ingest);
    }

    public BridgeConfig withKafkaLookupTimeout(Duration changed) {
        return new BridgeConfig(clients, web, hub, lookback, resumeConcurrency,
                resumeMaxRecords, views, changed, ingest);
    }

    public BridgeConfig withIngest(IngestSettings changed) {
        return new BridgeConfig(clients, web, hub, lookback, resumeConcurrency,
                resumeMaxRecords, views, kafkaLookupTimeout, changed);
    }

    private static Set<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(v -> !v.isEmpty()).collect(Collectors.toSet());
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
    }
}
