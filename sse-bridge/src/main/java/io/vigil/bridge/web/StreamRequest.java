package io.vigil.bridge.web;

import io.vigil.bridge.events.EventFilter;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;

import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated {@code /events} request: the filter ({@code type}, {@code channel}, {@code source}) and
 * where to resume from. The {@code Last-Event-ID} header (sent by EventSource when it reconnects) wins
 * over the {@code lastEventId} parameter (for a page that opens a new EventSource itself, e.g. from a
 * REST snapshot's position).
 */
record StreamRequest(EventFilter filter, Position from) {

    static final List<String> PARAMETERS = List.of("type", "channel", "source", "lastEventId");

    static StreamRequest parse(Map<String, Deque<String>> query, String lastEventIdHeader, WebSettings limits)
            throws BadRequest {
        Params params = new Params(query, PARAMETERS, limits.maxFilterValues(), limits.maxValueLength());
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : params.list("type")) {
            types.add(EventType.byEventName(name).orElseThrow(() -> new BadRequest(
                    "unknown type; allowed: score, anomaly, node, label")));
        }
        if (types.isEmpty()) {
            types = EnumSet.allOf(EventType.class);
        }
        EventFilter filter = new EventFilter(types, params.list("channel"), params.list("source"));
        String id = lastEventIdHeader != null && !lastEventIdHeader.isBlank()
                ? lastEventIdHeader.trim() : params.single("lastEventId");
        Position from = null;
        if (id != null) {
            try {
                from = PositionCodec.decode(id, limits.ids());
            } catch (IllegalArgumentException e) {
                throw new BadRequest("Last-Event-ID is not an id this bridge issued: " + e.getMessage());
            }
        }
        return new StreamRequest(filter, from);
    }
}
