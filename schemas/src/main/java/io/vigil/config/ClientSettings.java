package io.vigil.config;

import io.vigil.schemas.registry.RegistryConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every Vigil process reaches Kafka and the schema registry, read once from {@link Settings};
 * each service's own configuration holds one of these and builds its clients from it.
 *
 * <p>Kafka: {@code bootstrap.servers} ({@code VIGIL_BOOTSTRAP_SERVERS}), and any Kafka client property
 * passed through as {@code vigil.kafka.<property>} / {@code VIGIL_KAFKA_<PROPERTY>}, e.g.
 * {@code VIGIL_KAFKA_SECURITY_PROTOCOL=SASL_SSL}, {@code VIGIL_KAFKA_SASL_JAAS_CONFIG_FILE=/secrets/jaas}.
 * {@code vigil.kafka.producer.<property>}, {@code .consumer.} and {@code .admin.} apply to one kind of
 * client only. Pass-through values win over Vigil's own client settings: the operator has the last word.
 *
 * <p>Registry: {@code schema.registry.url}, {@code schema.registry.basic.auth.user.info} and
 * {@code schema.registry.ssl.<key>} (truststore/keystore location, password, type; key password),
 * handed to the serdes under Confluent's names ({@code basic.auth.user.info},
 * {@code schema.registry.ssl.truststore.location}, ...). Every value may come from a file
 * ({@code _FILE}), and {@link #toString()} hides secrets.
 *
 * @param bootstrapServers Kafka brokers
 * @param kafka pass-through properties for every client
 * @param producer pass-through properties for producers only
 * @param consumer pass-through properties for consumers only
 * @param admin pass-through properties for admin clients only
 * @param registry the schema registry and how to authenticate to it
 * @param checkTimeout how long the start-up {@link ConnectionCheck} waits for each of them
 */
public record ClientSettings(String bootstrapServers, Map<String, String> kafka, Map<String, String> producer,
                             Map<String, String> consumer, Map<String, String> admin, Registry registry,
                             Duration checkTimeout) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_REGISTRY_URL = "http://localhost:8081";
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ClientSettings.class);
    private static final Set<String> CLIENT_PROPERTIES = clientProperties();
    private static final String PRODUCER = "producer.";
    private static final String CONSUMER = "consumer.";
    private static final String ADMIN = "admin.";

    /**
     * The schema registry: its URL(s), basic-auth {@code user:password} (or null) and TLS settings
     * under Confluent's {@code schema.registry.ssl.*} names.
     */
    public record Registry(String url, String userInfo, Map<String, String> ssl) {
        public Registry {
            ssl = Map.copyOf(ssl);
        }

        /** Settings for the registry-backed serdes and {@code SchemaRegistryClients}. */
        public Map<String, Object> serdeConfig() {
            Map<String, Object> config = new HashMap<>(ssl);
            config.put(RegistryConfig.SCHEMA_REGISTRY_URL, url);
            if (userInfo != null) {
                config.put(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
                config.put(RegistryConfig.BASIC_AUTH_USER_INFO, userInfo);
            }
            return config;
        }

        @Override
        public String toString() {
            return "Registry[url=" + Secrets.maskUrls(url) + ", basicAuth=" + (userInfo != null) + ", ssl="
                    + Secrets.shown(ssl) + "]";
        }
    }

    public ClientSettings {
        kafka = Map.copyOf(kafka);
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
        admin = Map.copyOf(admin);
    }

    public static ClientSettings from(Settings s) {
        Map<String, String> common = new TreeMap<>();
        Map<String, String> producer = new TreeMap<>();
        Map<String, String> consumer = new TreeMap<>();
        Map<String, String> admin = new TreeMap<>();
        s.under("kafka.", ClientSettings::isClientProperty).forEach((name, value) -> {
            if (name.startsWith(PRODUCER)) {
                producer.put(name.substring(PRODUCER.length()), value);
            } else if (name.startsWith(CONSUMER)) {
                consumer.put(name.substring(CONSUMER.length()), value);
            } else if (name.startsWith(ADMIN)) {
                admin.put(name.substring(ADMIN.length()), value);
            } else {
                common.put(name, value);
            }
        });
        for (Map<String, String> given : new Map[] {common, producer, consumer, admin}) {
            given.keySet().stream().filter(name -> !isClientProperty(name)).forEach(name ->
                    // A custom login or callback handler may read keys of its own, so this is not fatal.
                    log.warn("vigil.kafka.{} is not a Kafka client property; passed through anyway", name));
        }
        Map<String, String> ssl = new TreeMap<>();
        s.under("schema.registry.ssl.", name -> false).forEach((name, value) -> ssl.put("schema.registry.ssl." + name, value));
        Registry registry = new Registry(
                s.get("schema.registry.url", DEFAULT_REGISTRY_URL),
                s.find("schema.registry.basic.auth.user.info").orElse(null),
                ssl);
        return new ClientSettings(s.get("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS), common, producer, consumer,
                admin, registry, Duration.ofMillis(s.getLong("connection.check.timeout.ms", DEFAULT_CHECK_TIMEOUT.toMillis())));
    }

    /** Local defaults with the given broker and registry, nothing passed through: for tests. */
    public static ClientSettings local(String bootstrapServers, String registryUrl) {
        return new ClientSettings(bootstrapServers, Map.of(), Map.of(), Map.of(), Map.of(),
                new Registry(registryUrl, null, Map.of()), DEFAULT_CHECK_TIMEOUT);
    }

    public ClientSettings withBootstrapServers(String servers) {
        return new ClientSettings(servers, kafka, producer, consumer, admin, registry, checkTimeout);
    }

    public ClientSettings withRegistryUrl(String url) {
        return new ClientSettings(bootstrapServers, kafka, producer, consumer, admin,
                new Registry(url, registry.userInfo(), registry.ssl()), checkTimeout);
    }

    /** A producer's configuration: {@code own} settings, then the pass-through on top. */
    public Map<String, Object> producer(Map<String, ?> own) {
        return merge(own, producer);
    }

    /** A consumer's configuration: {@code own} settings, then the pass-through on top. */
    public Map<String, Object> consumer(Map<String, ?> own) {
        return merge(own, consumer);
    }

    /** An admin client's configuration: {@code own} settings, then the pass-through on top. */
    public Map<String, Object> admin(Map<String, ?> own) {
        return merge(own, admin);
    }

    /**
     * The client part of a Kafka Streams configuration: brokers, the common pass-through as is, and the
     * per-client ones under Streams' own {@code producer.}, {@code consumer.} and {@code admin.} prefixes.
     */
    public Map<String, Object> streams() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.forEach((k, v) -> config.put(PRODUCER + k, v));
        consumer.forEach((k, v) -> config.put(CONSUMER + k, v));
        admin.forEach((k, v) -> config.put(ADMIN + k, v));
        return config;
    }

    private Map<String, Object> merge(Map<String, ?> own, Map<String, String> perClient) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(own);
        config.putAll(kafka);
        config.putAll(perClient);
        return config;
    }

    @Override
    public String toString() {
        return "ClientSettings[bootstrapServers=" + bootstrapServers + ", kafka=" + Secrets.shown(kafka)
                + ", producer=" + Secrets.shown(producer) + ", consumer=" + Secrets.shown(consumer)
                + ", admin=" + Secrets.shown(admin) + ", registry=" + registry + ", checkTimeout=" + checkTimeout + "]";
    }

    private static boolean isClientProperty(String name) {
        return CLIENT_PROPERTIES.contains(name);
    }

    private static Set<String> clientProperties() {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
