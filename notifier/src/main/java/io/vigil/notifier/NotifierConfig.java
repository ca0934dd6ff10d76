package io.vigil.notifier;

import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import io.vigil.notifier.alert.Transition;
import io.vigil.notifier.receiver.Receiver;
import io.vigil.notifier.receiver.Route;
import io.vigil.schemas.ServiceAccess;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The notifier's settings, read once through {@link Settings} ({@code vigil.<key>}, then
 * {@code VIGIL_<KEY>}, then the default).
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code bootstrap.servers}, {@code schema.registry.url}, {@code kafka.*}, ...</td><td>how to reach Kafka and the registry: {@link ClientSettings}</td></tr>
 *   <tr><td>{@code notifier.receivers}</td><td>names of the receivers, comma-separated (lower-case letters and digits); at least one</td></tr>
 *   <tr><td>{@code notifier.receiver.<name>.format}</td><td>{@code alertmanager} (its base URL; alerts go to {@code /api/v2/alerts}) or {@code webhook} (the URL as given)</td></tr>
 *   <tr><td>{@code notifier.receiver.<name>.url}</td><td>where to POST</td></tr>
 *   <tr><td>{@code notifier.receiver.<name>.kinds}, {@code .prefix}, {@code .min.severity}</td><td>the route: {@code anomaly,node}; channel or node ids starting with this (empty: all); segments that open with at least this severity (0)</td></tr>
 *   <tr><td>{@code notifier.receiver.<name>.token}, {@code .timeout.ms}</td><td>a bearer token to send (empty: none; {@code _FILE} reads it from a file); 5000 ms per attempt</td></tr>
 *   <tr><td>{@code notifier.retry.initial.ms}, {@code notifier.retry.max.ms}, {@code notifier.retry.attempts}</td><td>500 ms before the first retry, doubling up to 30000 ms, 8 attempts in all; then the transition is a dead letter</td></tr>
 *   <tr><td>{@code notifier.group.id}, {@code notifier.start}</td><td>vigil-notifier; {@code latest}: a new group starts at the end of the topics (no storm of old alerts), {@code earliest} from their start</td></tr>
 *   <tr><td>{@code metrics.port}</td><td>0: none; else {@code /metrics} and {@code /health} on this port</td></tr>
 * </table>
 */
public record NotifierConfig(ClientSettings clients, List<Receiver> receivers, Retry retry, String groupId, String start,
                             int metricsPort) {

    /** Backoff between attempts at one receiver: {@code initial}, doubling up to {@code max}, {@code attempts} in all. */
    public record Retry(Duration initial, Duration max, int attempts) {
        public Retry {
            if (initial.isNegative() || max.compareTo(initial) < 0 || attempts < 1) {
                throw new IllegalArgumentException("notifier.retry.*: initial >= 0, max >= initial and attempts >= 1");
            }
        }

        /** The wait after attempt {@code n} (from 1) failed. */
        public Duration after(int n) {
            long ms = initial.toMillis() << Math.min(n - 1, 30);
            return Duration.ofMillis(Math.min(ms < 0 ? Long.MAX_VALUE : ms, max.toMillis()));
        }
    }

    public static final String DEFAULT_GROUP_ID = ServiceAccess.NOTIFIER_GROUP;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final String RECEIVER = "notifier.receiver.";
    private static final String TEMPLATE = RECEIVER + "<name>.";

    public NotifierConfig {
        receivers = List.copyOf(receivers);
        if (!start.equals("latest") && !start.equals("earliest")) {
            throw new IllegalArgumentException("notifier.start must be latest or earliest, was " + start);
        }
    }

    public static NotifierConfig from(Settings s) {
        // The per-receiver keys, for the configuration reference; each receiver's own are read below,
        // and the prefix says every notifier.receiver.<name>.* is known, whatever the name.
        s.declare(RECEIVER + "*", "");
        s.declare(TEMPLATE + "format", "webhook");
        s.declare(TEMPLATE + "url", "");
        s.declare(TEMPLATE + "kinds", "anomaly,node");
        s.declare(TEMPLATE + "prefix", "");
        s.declare(TEMPLATE + "min.severity", "0");
        s.declare(TEMPLATE + "token", "");
        s.declare(TEMPLATE + "timeout.ms", Long.toString(DEFAULT_TIMEOUT.toMillis()));
        List<Receiver> receivers = new ArrayList<>();
        for (String name : list(s.get("notifier.receivers", ""))) {
            receivers.add(receiver(s, name));
        }
        Retry retry = new Retry(Duration.ofMillis(s.getLong("notifier.retry.initial.ms", 500)),
                Duration.ofMillis(s.getLong("notifier.retry.max.ms", 30_000)), s.getInt("notifier.retry.attempts", 8));
        return new NotifierConfig(ClientSettings.from(s), receivers, retry, s.get("notifier.group.id", DEFAULT_GROUP_ID),
                s.get("notifier.start", "latest"), s.getInt("metrics.port", 0));
    }

    private static Receiver receiver(Settings s, String name) {
        if (!name.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("notifier.receivers: '" + name + "' must be lower-case letters and digits"
                    + " (it is part of environment variable names)");
        }
        String key = RECEIVER + name + ".";
        String format = s.get(key + "format", "webhook").toUpperCase(Locale.ROOT);
        String url = s.find(key + "url").orElseThrow(() -> new IllegalArgumentException(key + "url must be set"));
        Set<Transition.Kind> kinds = EnumSet.noneOf(Transition.Kind.class);
        for (String kind : list(s.get(key + "kinds", "anomaly,node"))) {
            kinds.add(Arrays.stream(Transition.Kind.values()).filter(k -> k.label().equals(kind)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(key + "kinds: '" + kind + "' is not anomaly or node")));
        }
        Receiver.Format f;
        try {
            f = Receiver.Format.valueOf(format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "format must be alertmanager or webhook, was " + format.toLowerCase(Locale.ROOT));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(key + "url is not a URL: " + e.getMessage());
        }
        return new Receiver(name, f, uri,
                new Route(kinds, s.get(key + "prefix", ""), s.getDouble(key + "min.severity", 0.0)),
                s.find(key + "token").filter(t -> !t.isBlank()).orElse(null),
                Duration.ofMillis(s.getLong(key + "timeout.ms", DEFAULT_TIMEOUT.toMillis())));
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
}
