package io.vigil.bridge.web;

import java.util.Set;

/**
 * The HTTP side's settings: where to listen; the bearer token every data route requires (null: no
 * authentication); the origins allowed to read the API from other pages (CORS; {@code *} for any);
 * and the bounds of user-supplied filters: at most {@code maxFilterValues} values per parameter, each
 * at most {@code maxValueLength} characters.
 */
public record WebSettings(String host, int port, String authToken, Set<String> corsOrigins,
                          int maxFilterValues, int maxValueLength) {

    public WebSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("bridge.host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("bridge.port must be 0..65535, was " + port);
        }
        if (authToken != null && authToken.isBlank()) {
            authToken = null;
        }
        if (authToken != null && (authToken.length() < 16 || !authToken.chars().allMatch(c -> c > 32 && c < 127))) {
            throw new IllegalArgumentException("bridge.auth.token must be at least 16 printable ASCII characters");
        }
        corsOrigins = Set.copyOf(corsOrigins);
        if (maxFilterValues < 1 || maxValueLength < 1) {
            throw new IllegalArgumentException("filter limits must be positive");
        }
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
                + ", maxValueLength=" + maxValueLength + "]";
    }
}
