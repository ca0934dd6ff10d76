package io.vigil.bridge.web;

import java.util.Map;

/**
 * What {@code GET /health} reports: {@code status} is the word shown ("starting", "catching up",
 * "ready"); {@code ready} decides the HTTP status (200, else 503, so a readiness probe needs no JSON
 * parsing); {@code details} are added to the JSON object as they are.
 */
public record Health(String status, boolean ready, Map<String, Object> details) {

    public Health {
        details = Map.copyOf(details);
    }

    public static Health starting(Map<String, Object> details) {
        return new Health("starting", false, details);
    }
}
