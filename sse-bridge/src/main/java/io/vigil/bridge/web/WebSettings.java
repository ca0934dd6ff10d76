package io.vigil.bridge.web;

import io.vigil.bridge.events.PositionCodec;

import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The HTTP side's settings: where to listen; the bearer token every data route requires (null: no
 * authentication); the origins allowed to read the API from other pages (CORS; {@code *} for any);
 * and the bounds of everything a client sends, so that what a request costs is set here and not by
 * the client: at most {@code maxFilterValues} values per filter parameter, each at most
 * {@code maxValueLength} characters; resume ids within {@code ids}; and a request line and headers of
 * at most {@code maxHeaderBytes} (larger requests get Undertow's bare 400). With {@code tls} the
 * listener speaks HTTPS only.
 */
public record WebSettings(String host, int port, String authToken, Set<String> corsOrigins,
                          int maxFilterValues, int maxValueLength, PositionCodec.Limits ids, int maxHeaderBytes,
                          SSLContext tls) {

    /** Enough for a long filter and a resume id, not for megabytes of headers buffered per request. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** Undertow needs room for at least a request line and the usual browser headers. */
    static final int MIN_HEADER_BYTES = 1024;

    public WebSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("bridge.host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("bridge.port must be 0..65535, was " + port);
        }
        authToken = bearerToken("bridge.auth.token", authToken);
        corsOrigins = Set.copyOf(corsOrigins);
        if (maxFilterValues < 1 || maxValueLength < 1) {
            throw new IllegalArgumentException("filter limits must be positive");
        }
        if (ids == null) {
            throw new IllegalArgumentException("event id limits must be set");
        }
        if (maxHeaderBytes < MIN_HEADER_BYTES) {
            throw new IllegalArgumentException("bridge.http.max.header.bytes must be at least " + MIN_HEADER_BYTES);
        }
    }

    /**
     * A bearer token as configured under {@code key}: null when unset or blank, else at least 16
     * printable ASCII characters (so that it can be compared without encoding and sent in a header).
     */
    public static String bearerToken(String key, String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        if (token.length() < 16 || !token.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException(key + " must be at least 16 printable ASCII characters");
        }
        return token;
    }

    /** Plain HTTP. */
    public WebSettings(String host, int port, String authToken, Set<String> corsOrigins,
                       int maxFilterValues, int maxValueLength, PositionCodec.Limits ids, int maxHeaderBytes) {
        this(host, port, authToken, corsOrigins, maxFilterValues, maxValueLength, ids, maxHeaderBytes, null);
    }

    /** Default bounds of resume ids and headers. */
    public WebSettings(String host, int port, String authToken, Set<String> corsOrigins,
                       int maxFilterValues, int maxValueLength) {
        this(host, port, authToken, corsOrigins, maxFilterValues, maxValueLength, PositionCodec.Limits.DEFAULT,
                DEFAULT_MAX_HEADER_BYTES);
    }

    public WebSettings withTls(SSLContext context) {
        return new WebSettings(host, port, authToken, corsOrigins, maxFilterValues, maxValueLength, ids, maxHeaderBytes,
                context);
    }

    /** Whether this listener can only be reached from this machine. */
    public boolean loopbackOnly() {
        return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    /** Local defaults: loopback, no token, no other origins, 100 channels of 200 characters per filter. */
    public static WebSettings local(int port) {
        return new WebSettings("127.0.0.1", port, null, Set.of(), 100, 200);
    }

    @Override
    public String toString() {
        // Never print the token.
        return "WebSettings[host=" + host + ", port=" + port + ", auth=" + (authToken == null ? "off" : "bearer")
                + ", corsOrigins=" + corsOrigins + ", maxFilterValues=" + maxFilterValues
                + ", maxValueLength=" + maxValueLength + ", ids=" + ids + ", maxHeaderBytes=" + maxHeaderBytes + ", tls=" + (tls != null) + "]";
    }
}
