package io.vigil.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one REST call to the first registry URL that answers, with retries.
 *
 * <p>Policy: an I/O failure (refused, reset, timeout) fails over to the next URL at once; when every
 * URL failed that way, or a URL answered 5xx, the whole round is tried again after an exponential
 * backoff (base, 2 x base, ... capped at {@link #MAX_BACKOFF}) until the attempts are used up. A 4xx is
 * the registry's verdict on the request and is thrown at once: asking again cannot change it. The URL
 * that last answered is tried first next time, so a dead first URL costs one failed connect, not one
 * per call. Every call is safe to repeat (registration is idempotent).
 */
final class RestTransport {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RestTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One base URL, without credentials, and the Authorization header to send there (or null). */
    record Endpoint(String base, String authorization) {

        /** Splits credentials off {@code url}; {@code userInfo}, when not null, replaces the URL's own. */
        static Endpoint of(String url, String userInfo) {
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                // URI's own message quotes the whole URL, password included.
                throw new IllegalArgumentException("not a valid URL: " + redact(url));
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host: " + redact(url));
            }
            String credentials = userInfo != null ? userInfo : uri.getUserInfo();
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            String base = scheme + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
            String authorization = credentials == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            return new Endpoint(base, authorization);
        }

        private static String redact(String url) {
            // Up to the last @ before any whitespace: a password may contain '/'. Masking too much is safe.
            return url.replaceAll("(?<=://)[^\\s@]*@", "***@");
        }

        @Override
        public String toString() {
            return base; // never the credentials
        }
    }

    private final HttpClient http;
    private final List<Endpoint> endpoints;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration requestTimeout;
    private final AtomicInteger preferred = new AtomicInteger();

    RestTransport(List<Endpoint> endpoints, int maxAttempts, Duration baseBackoff, Duration connectTimeout,
            Duration requestTimeout, SSLContext sslContext) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no registry URL");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        this.endpoints = List.copyOf(endpoints);
        this.maxAttempts = maxAttempts;
        this.baseBackoff = baseBackoff;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: the default HTTP/2 upgrade dance on plain http confuses some proxies and buys nothing.
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Sends {@code method path} with an optional JSON body; returns the parsed JSON answer. */
    JsonNode call(String method, String path, JsonNode body) {
        RegistryException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                pause(backoff(attempt - 1), last);
            }
            int first = preferred.get();
            for (int i = 0; i < endpoints.size(); i++) {
                int index = (first + i) % endpoints.size();
                Endpoint endpoint = endpoints.get(index);
                HttpResponse<byte[]> response;
                try {
                    response = http.send(request(endpoint, method, path, body), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    last = new RegistryException(RegistryException.NO_STATUS, RegistryException.NO_ERROR_CODE,
                            method + " " + endpoint + path + " failed: " + e, e);
                    log.debug("Schema registry {} unreachable, trying the next URL", endpoint, e);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryException(RegistryException.NO_STATUS, RegistryException.NO_ERROR_CODE,
                            "Interrupted during " + method + " " + endpoint + path, e);
                }
                preferred.set(index);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parse(response.body(), status, method, endpoint, path);
                }
                RegistryException error = error(response.body(), status, method, endpoint, path);
                if (status < 500) {
                    throw error;
                }
                last = error;
                break;
            }
            log.warn("Schema registry call {} {} failed (attempt {} of {}): {}", method, path, attempt, maxAttempts,
                    last.getMessage());
        }
        throw new RegistryException(last.httpStatus(), last.errorCode(),
                last.getMessage() + " (gave up after " + maxAttempts + (maxAttempts == 1 ? " attempt)" : " attempts)"), last.getCause());
    }

    Duration backoff(int retry) {
        long factor = 1L << Math.min(retry - 1, 20);
        Duration delay = baseBackoff.multipliedBy(factor);
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private HttpRequest request(Endpoint endpoint, String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.base() + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (endpoint.authorization() != null) {
            builder.header("Authorization", endpoint.authorization());
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        return builder.build();
    }

    private static JsonNode parse(byte[] body, int status, String method, Endpoint endpoint, String path) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(status, RegistryException.NO_ERROR_CODE,
                    method + " " + endpoint + path + " answered something that is not JSON", e);
        }
    }

    /** Maps an error answer; only a parsed 404xx error_code counts as "not found". */
    private static RegistryException error(byte[] body, int status, String method, Endpoint endpoint, String path) {
        int code = RegistryException.NO_ERROR_CODE;
        String message = null;
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.path("error_code").isInt()) {
                code = json.get("error_code").asInt();
                message = json.path("message").asText(null);
            }
        } catch (IOException e) {
            // Not a registry error body (a proxy's HTML page, say): keep the status only.
        }
        String text = method + " " + endpoint + path + ": HTTP " + status
                + (message == null ? "" : " error " + code + ": " + message);
        if (SchemaNotFoundException.isNotFoundCode(code)) {
            return new SchemaNotFoundException(code, text);
        }
        return new RegistryException(status, code, text);
    }

    private static void pause(Duration delay, RegistryException cause) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(cause.httpStatus(), cause.errorCode(),
                    "Interrupted while waiting to retry: " + cause.getMessage(), e);
        }
    }
}
