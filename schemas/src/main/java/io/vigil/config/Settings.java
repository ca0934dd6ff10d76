package io.vigil.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where Vigil's settings come from, in order: system properties ({@code vigil.bootstrap.servers}),
 * then environment variables ({@code VIGIL_BOOTSTRAP_SERVERS}), then the caller's default. Services
 * read their typed configuration record through this once at start-up.
 */
public final class Settings {

    private final Properties properties;
    private final Map<String, String> environment;

    public Settings(Properties properties, Map<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** Settings of this process: its system properties and environment. */
    public static Settings fromSystem() {
        return new Settings(System.getProperties(), System.getenv());
    }

    /** Settings from the given pairs only (keys as property names), for tests. */
    public static Settings of(Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        return new Settings(p, Map.of());
    }

    /** The value of {@code key} (a dotted name without the {@code vigil.} prefix), if set. */
    public Optional<String> find(String key) {
        String value = properties.getProperty("vigil." + key);
        if (value == null) {
            value = environment.get(envName(key));
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String get(String key, String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        return find(key).map(v -> parse(key, v, Integer::parseInt)).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return find(key).map(v -> parse(key, v, Long::parseLong)).orElse(defaultValue);
    }

    public double getDouble(String key, double defaultValue) {
        return find(key).map(v -> parse(key, v, Double::parseDouble)).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return find(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("setting " + key + " is not a boolean: " + v);
        }).orElse(defaultValue);
    }

    static String envName(String key) {
        return "VIGIL_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " (" + envName(key) + ") is not a number: " + value, e);
        }
    }
}
