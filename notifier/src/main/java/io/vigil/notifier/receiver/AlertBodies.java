package io.vigil.notifier.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.notifier.alert.Transition;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON bodies of both formats, in one place. */
final class AlertBodies {

    /**
     * How long Alertmanager keeps a firing alert without hearing of it again. Alertmanager resolves an
     * alert at its {@code endsAt}; a firing one is sent with {@code endsAt} this far ahead, and its
     * close or recovery resolves it sooner. A condition that lasts longer shows as resolved after it:
     * the notifier does not re-send firing alerts (docs/operations.md, "Alerts").
     */
    static final Duration FIRING_HOLD = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertBodies() {}

    /**
     * Alertmanager's {@code POST /api/v2/alerts} body, one alert: labels identify it (kind, channel or
     * node, and a segment's start, so two segments of a channel are two alerts), annotations say the
     * rest, the event times among them.
     */
    static String alertmanager(Transition t, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", t.kind().alertName());
        labels.put(t.kind() == Transition.Kind.ANOMALY ? "channel" : "node", t.subject());
        if (t.kind() == Transition.Kind.ANOMALY) {
            labels.put("segment_start", t.startsAt().toString());
        }
        labels.put("source", "vigil");
        Map<String, String> annotations = new LinkedHashMap<>(t.details());
        annotations.put("summary", summary(t));
        if (t.kind() == Transition.Kind.ANOMALY) {
            annotations.put("severity", String.format(Locale.ROOT, "%.3f", t.severity()));
        }
        annotations.put("transition", t.name());
        annotations.put("eventStart", t.startsAt().toString());
        if (t.endsAt() != null) {
            annotations.put("eventEnd", t.endsAt().toString());
        }
        // Alertmanager's times are its wall clock's; event time may run ahead of it (a replay aligned
        // past now) or behind (a backfill). An alert starts and ends no later than now, so one dated
        // ahead is not refused (start after end) and a close ahead does not stay firing until then.
        Instant startsAt = min(t.startsAt(), now);
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", annotations);
        alert.put("startsAt", startsAt.toString());
        alert.put("endsAt", (t.firing() ? now.plus(FIRING_HOLD) : max(startsAt, min(t.endsAt(), now))).toString());
        return write(List.of(alert));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The generic webhook's body: the transition as it is, with its id and its alert's key. */
    static String webhook(Transition t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", t.id());
        body.put("alert", t.alertKey());
        body.put("kind", t.kind().label());
        body.put("transition", t.name());
        body.put("firing", t.firing());
        body.put("subject", t.subject());
        body.put("startsAt", t.startsAt().toString());
        body.put("endsAt", t.endsAt() == null ? null : t.endsAt().toString());
        body.put("severity", t.severity());
        body.put("summary", summary(t));
        body.put("details", t.details());
        return write(body);
    }

    private static String summary(Transition t) {
        return switch (t.name()) {
            case "OPEN" -> "channel " + t.subject() + " is anomalous since " + t.startsAt();
            case "CLOSED" -> "channel " + t.subject() + " was anomalous from " + t.startsAt() + " to " + t.endsAt();
            case "FAULTED" -> "node " + t.subject() + " missed its heartbeats; last one " + t.startsAt();
            case "RECOVERED" -> "node " + t.subject() + " beats again since " + t.endsAt();
            default -> t.kind().label() + " " + t.subject() + " " + t.name();
        };
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert body did not encode", e);
        }
    }
}
