package io.vigil.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Vigil's settings come from, in order: system properties ({@code vigil.bootstrap.servers}),
 * then environment variables ({@code VIGIL_BOOTSTRAP_SERVERS}), then the caller's default. Services
 * read their typed configuration record through this once at start-up.
 *
 * <p>Any setting can instead name a file that holds its value ({@code VIGIL_BRIDGE_AUTH_TOKEN_FILE},
 * {@code vigil.bridge.auth.token.file}): that is how Kubernetes mounts a Secret, and it keeps secrets
 * out of the process's environment and command line. A value set directly wins over a file.
 *
 * <p>Every key read is remembered with the default its reader gave, so that a service can say which
 * settings it knows ({@link #keysRead()}, the source of the configuration reference) and warn about
 * the ones it was given and does not know ({@link #unknownKeys}).
 */
public final class Settings {

    static final String PROPERTY_PREFIX = "vigil.";
    static final String ENV_PREFIX = "VIGIL_";
    static final String FILE_SUFFIX = "_FILE";

    private static final Logger log = LoggerFactory.getLogger(Settings.class);

    private final Properties properties;
    private final Map<String, String> environment;
    private final Map<String, String> keysRead = Collections.synchronizedMap(new LinkedHashMap<>());

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
        keysRead.putIfAbsent(key, "");
        return lookup(key);
    }

    public String get(String key, String defaultValue) {
        keysRead.put(key, defaultValue == null ? "" : defaultValue);
        return lookup(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        keysRead.put(key, Integer.toString(defaultValue));
        return lookup(key).map(v -> parse(key, v, Integer::parseInt)).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        keysRead.put(key, Long.toString(defaultValue));
        return lookup(key).map(v -> parse(key, v, Long::parseLong)).orElse(defaultValue);
    }

    public double getDouble(String key, double defaultValue) {
        keysRead.put(key, Double.toString(defaultValue));
        return lookup(key).map(v -> parse(key, v, Double::parseDouble)).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        keysRead.put(key, Boolean.toString(defaultValue));
        return lookup(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("setting " + key + " is not a boolean: " + v);
        }).orElse(defaultValue);
    }

    /**
     * Every setting under {@code prefix} (dotted, e.g. {@code "kafka."}), keyed by the rest of its
     * name: {@code vigil.kafka.security.protocol} and {@code VIGIL_KAFKA_SECURITY_PROTOCOL} both give
     * {@code security.protocol}. Environment names map back with underscores as dots, so this serves
     * pass-through names without underscores or hyphens of their own (all of Kafka's client
     * properties). A name ending in {@code _FILE} ({@code .file}) reads its value from that file unless
     * {@code isName} says the whole name is itself a property. System properties win.
     */
    public Map<String, String> under(String prefix, Predicate<String> isName) {
        keysRead.putIfAbsent(prefix + "*", "");
        Map<String, String> values = new TreeMap<>();
        Map<String, String> files = new TreeMap<>();
        String envPrefix = ENV_PREFIX + prefix.toUpperCase(Locale.ROOT).replace('.', '_');
        environment.forEach((name, value) -> {
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                String rest = name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                classify(rest, value, isName, values, files);
            }
        });
        String propertyPrefix = PROPERTY_PREFIX + prefix;
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(propertyPrefix) && name.length() > propertyPrefix.length()) {
                classify(name.substring(propertyPrefix.length()), properties.getProperty(name), isName, values, files);
            }
        }
        values.values().removeIf(String::isEmpty);
        files.forEach((name, file) -> values.computeIfAbsent(name, n -> readSecret(prefix + n, file)));
        return values;
    }

    private static void classify(String name, String value, Predicate<String> isName, Map<String, String> values,
                                 Map<String, String> files) {
        String trimmed = value == null ? "" : value.trim();
        if (name.endsWith(".file") && !isName.test(name)) {
            if (!trimmed.isEmpty()) {
                files.put(name.substring(0, name.length() - ".file".length()), trimmed);
            }
        } else {
            values.put(name, trimmed);
        }
    }

    /**
     * Records {@code key} as known though something else reads it (a command-line default taken from
     * the environment, say), so that it is neither warned about nor missing from the reference.
     */
    public void declare(String key, String defaultValue) {
        keysRead.putIfAbsent(key, defaultValue == null ? "" : defaultValue);
    }

    /**
     * Every key {@code reader} reads, with its default, when nothing is set: what a service knows, for
     * the configuration reference and the manifest checks.
     */
    public static Map<String, String> keysReadBy(java.util.function.Consumer<Settings> reader) {
        Settings empty = new Settings(new Properties(), Map.of());
        reader.accept(empty);
        return empty.keysRead();
    }

    /** Every key read so far with the default its reader gave ("" for none); prefixes end in {@code *}. */
    public Map<String, String> keysRead() {
        synchronized (keysRead) {
            return Map.copyOf(keysRead);
        }
    }

    /**
     * The {@code vigil.*} system properties and {@code VIGIL_*} environment variables given to this
     * process that no reader asked for (a typo, or a setting of another service), by the name given.
     */
    public TreeSet<String> unknownKeys() {
        Map<String, String> read = keysRead();
        TreeSet<String> known = new TreeSet<>();
        TreeSet<String> prefixes = new TreeSet<>();
        read.keySet().forEach(key -> {
            if (key.endsWith("*")) {
                String prefix = key.substring(0, key.length() - 1);
                prefixes.add(PROPERTY_PREFIX + prefix);
                prefixes.add(ENV_PREFIX + prefix.toUpperCase(Locale.ROOT).replace('.', '_'));
            } else {
                known.add(PROPERTY_PREFIX + key);
                known.add(PROPERTY_PREFIX + key + ".file");
                known.add(envName(key));
                known.add(envName(key) + FILE_SUFFIX);
            }
        });
        TreeSet<String> unknown = new TreeSet<>();
        Predicate<String> isKnown = name -> known.contains(name) || prefixes.stream().anyMatch(name::startsWith);
        properties.stringPropertyNames().stream()
                .filter(name -> name.startsWith(PROPERTY_PREFIX) && !isKnown.test(name))
                .forEach(unknown::add);
        environment.keySet().stream()
                .filter(name -> name.startsWith(ENV_PREFIX) && !isKnown.test(name))
                .forEach(unknown::add);
        return unknown;
    }

    /** Warns once per setting this process was given and no reader asked for. */
    public void warnUnknownKeys() {
        unknownKeys().forEach(name -> log.atWarn().setMessage("unknown setting, ignored (a typo, or another "
                + "service's setting?)").addKeyValue("setting", name).log());
    }

    /** The environment variable of a dotted key: {@code bridge.auth.token} is {@code VIGIL_BRIDGE_AUTH_TOKEN}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private Optional<String> lookup(String key) {
        String value = properties.getProperty(PROPERTY_PREFIX + key);
        if (value == null) {
            value = environment.get(envName(key));
        }
        if (value == null || value.isBlank()) {
            String file = properties.getProperty(PROPERTY_PREFIX + key + ".file");
            if (file == null) {
                file = environment.get(envName(key) + FILE_SUFFIX);
            }
            if (file != null && !file.isBlank()) {
                value = readSecret(key, file.trim());
            }
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A secret file's content without the trailing newline editors and {@code kubectl create secret} add. */
    private static String readSecret(String key, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // The path is not a secret; its content is, and is never echoed.
            throw new UncheckedIOException("setting " + key + " names a file that cannot be read: " + file, e);
        }
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " (" + envName(key) + ") is not a number: " + value, e);
        }
    }
}
