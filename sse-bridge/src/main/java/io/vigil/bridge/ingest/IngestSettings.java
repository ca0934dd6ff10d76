package io.vigil.bridge.ingest;

import io.vigil.bridge.web.WebSettings;
import io.vigil.schemas.ServiceAccess;

import java.time.Duration;

/**
 * HTTP ingest ({@code POST /api/v1/telemetry}): off unless {@code enabled}.
 *
 * @param enabled whether the route exists at all; a bridge that only serves dashboards takes no writes
 * @param token the bearer token a write needs (null: the bridge's own token, if any); a token of its
 *              own lets operators hand the read token to viewers without granting writes
 * @param maxPoints points one request may carry; more are refused (422), none written
 * @param maxBytes request body size; more get 413 before anything is parsed
 * @param producers transactional producers, so at most this many requests write at once; a request
 *                  that finds none free within {@code kafkaTimeout} gets 503
 * @param kafkaTimeout how long each wait for Kafka may take (a free producer, a producer's start,
 *                     the commit) before the request is answered 503: a request waits for a few of
 *                     them, so at most about three of these in all
 * @param retryAfter what a 503 tells the client to wait
 * @param transactionalIdPrefix each producer's transactional id is this, the host name and its slot:
 *                              unique per bridge instance as long as host names are (two bridges on
 *                              one host need prefixes of their own, or they fence each other), and
 *                              stable across restarts where host names are (a StatefulSet's pods), so
 *                              a restart aborts what its predecessor left open; elsewhere the
 *                              transaction timeout does, within three Kafka timeouts
 */
public record IngestSettings(boolean enabled, String token, int maxPoints, int maxBytes, int producers,
                             Duration kafkaTimeout, Duration retryAfter, String transactionalIdPrefix) {

    public static final int DEFAULT_MAX_POINTS = 10_000;
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
    public static final int DEFAULT_PRODUCERS = 2;
    public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    /** What the cluster's ACLs grant the ingest's user ({@link ServiceAccess.Service#INGEST}). */
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = ServiceAccess.INGEST_TRANSACTIONAL_PREFIX;

    public static final IngestSettings OFF = new IngestSettings(false, null, DEFAULT_MAX_POINTS, DEFAULT_MAX_BYTES,
            DEFAULT_PRODUCERS, DEFAULT_KAFKA_TIMEOUT, DEFAULT_RETRY_AFTER, DEFAULT_TRANSACTIONAL_ID_PREFIX);

    public IngestSettings {
        token = WebSettings.bearerToken("bridge.ingest.token", token);
        if (maxPoints < 1 || maxBytes < 1 || producers < 1) {
            throw new IllegalArgumentException("bridge.ingest.max.points, .max.bytes and .producers must be positive");
        }
        if (kafkaTimeout.isNegative() || kafkaTimeout.isZero() || retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("bridge.ingest.kafka.timeout.ms and .retry.after.seconds must be positive");
        }
        if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
            throw new IllegalArgumentException("bridge.ingest.transactional.id.prefix must not be empty");
        }
    }

    @Override
    public String toString() {
        // Never print the token.
        return "IngestSettings[enabled=" + enabled + ", auth=" + (token == null ? "bridge's" : "own") + ", maxPoints="
                + maxPoints + ", maxBytes=" + maxBytes + ", producers=" + producers + ", kafkaTimeout=" + kafkaTimeout
                + ", retryAfter=" + retryAfter + ", transactionalIdPrefix=" + transactionalIdPrefix + "]";
    }
}
