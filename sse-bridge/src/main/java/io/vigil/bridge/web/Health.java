package io.vigil.bridge.web;

import java.util.Map;

/**
 * What {@code GET /health} reports: {@code ready} decides the status word ("ready" or "starting")
 * and the HTTP status (200 or 503, so a readiness probe needs no JSON parsing); {@code details} are
 * added to the JSON object as they are.
 */
public record Health(boolean ready, Map<String, Object> details) {

    public Health {
        details = Map.copyOf(details);
    }
}
