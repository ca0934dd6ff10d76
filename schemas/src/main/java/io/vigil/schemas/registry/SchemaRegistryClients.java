package io.vigil.schemas.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Turns serde configuration into a registry client.
 *
 * <p>{@code mock://<scope>} gives that scope's {@link MockSchemaRegistry}; {@code http(s)://} URLs give
 * a {@link RestSchemaRegistryClient} that is shared by every caller with the same URLs, credentials and
 * retry settings, so the many serdes of one JVM share one cache and one connection pool. Bad settings
 * fail with a {@link ConfigException} naming the key (never echoing a password).
 */
public final class SchemaRegistryClients {

    private static final Map<RestKey, RestSchemaRegistryClient> SHARED = new ConcurrentHashMap<>();
    private static final String MOCK_PREFIX = "mock://";

    private SchemaRegistryClients() {
    }

    /** The client for these configs; see {@link RegistryConfig} for the keys read. */
    public static SchemaRegistryClient create(Map<String, ?> configs) {
        List<String> urls = urls(configs.get(RegistryConfig.SCHEMA_REGISTRY_URL));
        if (urls.stream().anyMatch(u -> u.startsWith(MOCK_PREFIX))) {
            String scope = urls.get(0).substring(MOCK_PREFIX.length());
            if (urls.size() > 1 || scope.isEmpty()) {
                throw new ConfigException(RegistryConfig.SCHEMA_REGISTRY_URL
                        + ": a mock registry is a single mock://<scope> URL with a non-empty scope");
            }
            return MockSchemaRegistry.scope(scope);
        }
        RestKey key = new RestKey(urls, userInfo(configs),
                intSetting(configs, RegistryConfig.RETRY_ATTEMPTS, 3, 1),
                intSetting(configs, RegistryConfig.RETRY_BACKOFF_MS, 100, 0), sslSettings(configs));
        return SHARED.computeIfAbsent(key, SchemaRegistryClients::newRestClient);
    }

    private static RestSchemaRegistryClient newRestClient(RestKey key) {
        RestSchemaRegistryClient.Options options = RestSchemaRegistryClient.Options.defaults()
                .withBasicAuth(key.userInfo())
                .withRetries(key.attempts(), Duration.ofMillis(key.backoffMs()))
                .withSsl(RegistryTls.context(key.ssl()));
        try {
            return new RestSchemaRegistryClient(key.urls(), options);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(RegistryConfig.SCHEMA_REGISTRY_URL + ": " + e.getMessage());
        }
    }

    private static List<String> urls(Object value) {
        List<String> urls = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(item -> addUrls(urls, String.valueOf(item)));
        } else if (value != null) {
            addUrls(urls, value.toString());
        }
        if (urls.isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + RegistryConfig.SCHEMA_REGISTRY_URL
                    + "\" (the schema registry's base URL, or mock://<scope> in tests)");
        }
        return List.copyOf(urls);
    }

    private static void addUrls(List<String> urls, String text) {
        for (String url : text.split(",")) {
            if (!url.isBlank()) {
                urls.add(url.trim());
            }
        }
    }

    /** The user info to send to every URL, or null when credentials come from the URLs themselves. */
    private static String userInfo(Map<String, ?> configs) {
        Object rawInfo = configs.get(RegistryConfig.BASIC_AUTH_USER_INFO);
        String info = rawInfo == null || rawInfo.toString().isBlank() ? null : rawInfo.toString();
        Object rawSource = configs.get(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE);
        String source = rawSource == null || rawSource.toString().isBlank()
                ? (info != null ? "USER_INFO" : "URL")
                : rawSource.toString().trim().toUpperCase(Locale.ROOT);
        switch (source) {
            case "URL":
                return null;
            case "USER_INFO":
                if (info == null || info.indexOf(':') < 0) {
                    throw new ConfigException(RegistryConfig.BASIC_AUTH_USER_INFO
                            + " must be set to user:password when " + RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                            + " is USER_INFO");
                }
                return info;
            default:
                throw new ConfigException(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " '" + rawSource
                        + "' is not supported; use USER_INFO or URL");
        }
    }

    private static int intSetting(Map<String, ?> configs, String key, int fallback, int min) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, value, "must be an integer >= " + min);
    }

    /** The {@code schema.registry.ssl.*} settings, as strings. */
    private static Map<String, String> sslSettings(Map<String, ?> configs) {
        Map<String, String> ssl = new java.util.TreeMap<>();
        configs.forEach((k, v) -> {
            if (k.startsWith(RegistryConfig.SSL_PREFIX) && v != null && !v.toString().isBlank()) {
                ssl.put(k, v.toString().trim());
            }
        });
        return Map.copyOf(ssl);
    }

    private record RestKey(List<String> urls, String userInfo, int attempts, int backoffMs, Map<String, String> ssl) {

        @Override
        public String toString() {
            return "RestKey[urls=" + urls.size() + ", attempts=" + attempts + ", ssl=" + ssl.keySet() + "]"; // no credentials
        }
    }
}
