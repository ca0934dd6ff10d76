package io.vigil.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What may be shown of a setting: a value whose key names a secret is replaced, and credentials in a
 * URL's user info are masked. Every log line and error message that carries client settings or URLs
 * goes through here.
 */
public final class Secrets {

    static final String HIDDEN = "[hidden]";

    // Kafka's passwords and JAAS configs, PEM keys given inline, the registry's user info, bearer tokens.
    private static final Pattern SECRET_KEY =
            Pattern.compile("password|jaas|secret|token|user\\.info|keystore\\.key|private\\.key|credentials\\.inline");
    // Up to the last @ before any whitespace: a password may contain '/'. Masking too much is safe.
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^\\s@]*@");

    private Secrets() {}

    /** Whether the value of {@code key} is a secret. */
    public static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    /** {@code value} as it may be shown under {@code key}. */
    public static String shown(String key, Object value) {
        if (value == null) {
            return "null";
        }
        return isSecret(key) ? HIDDEN : maskUrls(value.toString());
    }

    /** A copy of {@code config} fit for a log line. */
    public static Map<String, String> shown(Map<String, ?> config) {
        Map<String, String> out = new TreeMap<>();
        config.forEach((k, v) -> out.put(k, shown(k, v)));
        return out;
    }

    /** {@code text} with the user info of every URL in it masked: {@code https://***@host/}. */
    public static String maskUrls(String text) {
        return URL_USER_INFO.matcher(text).replaceAll("***@");
    }
}
