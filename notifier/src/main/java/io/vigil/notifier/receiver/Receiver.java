package io.vigil.notifier.receiver;

import io.vigil.notifier.alert.Transition;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Somewhere transitions are sent over HTTP: an Alertmanager ({@link Format#ALERTMANAGER}) or any
 * service that takes a JSON webhook ({@link Format#WEBHOOK}). One POST per transition, with the
 * transition's id in {@code Idempotency-Key} (percent-encoded: channel ids are any UTF-8, header
 * values are not) so a receiver can drop the repeat a restart may cause.
 *
 * @param name the receiver's name in configuration, metrics and dead letters
 * @param token a bearer token to send, or null
 */
public record Receiver(String name, Format format, URI url, Route route, String token, Duration timeout) {

    public enum Format {
        ALERTMANAGER, WEBHOOK
    }

    /** What one attempt came to. */
    public enum Outcome {
        /** 2xx. */
        DELIVERED,
        /** 4xx but 408 and 429: the receiver will not take this body, however often it is sent. */
        REFUSED,
        /** No answer, 408, 429 or 5xx: worth another try. */
        RETRY
    }

    /** One attempt's outcome, with what the receiver said (status and the start of its body) or the error. */
    public record Attempt(Outcome outcome, String detail) {}

    /** Alertmanager's API for clients that send alerts. */
    static final String ALERTMANAGER_PATH = "/api/v2/alerts";
    private static final int DETAIL_CHARS = 300;

    public Receiver {
        if (name == null || name.isBlank() || format == null || url == null || route == null || timeout == null) {
            throw new IllegalArgumentException("a receiver needs a name, a format, a URL, a route and a timeout");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("receiver " + name + ": the URL must be http:// or https:// with a host, was " + url);
        }
    }

    /** The header value that names transition {@code t}: its id, percent-encoded as a URL's query would be. */
    public static String idempotencyKey(Transition t) {
        return URLEncoder.encode(t.id(), StandardCharsets.UTF_8);
    }

    /** Where the POST goes: Alertmanager's alerts API under its base URL, or the webhook's URL as given. */
    public URI endpoint() {
        if (format == Format.WEBHOOK) {
            return url;
        }
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + ALERTMANAGER_PATH);
    }

    /** Sends {@code t} once; {@code now} dates what the body needs a "now" for (see {@link AlertBodies}). */
    public Attempt send(HttpClient http, Transition t, Instant now) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey(t))
                .POST(HttpRequest.BodyPublishers.ofString(format == Format.ALERTMANAGER
                        ? AlertBodies.alertmanager(t, now) : AlertBodies.webhook(t)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = answer.statusCode();
            String body = answer.body() == null ? "" : answer.body();
            String detail = "HTTP " + status + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(DETAIL_CHARS, body.length())).strip());
            if (status >= 200 && status < 300) {
                return new Attempt(Outcome.DELIVERED, detail);
            }
            boolean retry = status == 408 || status == 429 || status >= 500;
            return new Attempt(retry ? Outcome.RETRY : Outcome.REFUSED, detail);
        } catch (java.io.IOException e) {
            return new Attempt(Outcome.RETRY, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(Outcome.RETRY, "interrupted");
        } catch (RuntimeException e) {
            // The request could not even be made (a body or header the client refuses): sending it
            // again would fail the same way.
            return new Attempt(Outcome.REFUSED, "not sent: " + e);
        }
    }

    @Override
    public String toString() {
        // Never print the token.
        return "Receiver[" + name + ", " + format + ", " + url + ", " + route + ", auth=" + (token == null ? "none" : "bearer") + "]";
    }
}
