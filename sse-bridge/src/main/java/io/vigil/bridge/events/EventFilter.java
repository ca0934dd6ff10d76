package io.vigil.bridge.events;

import java.util.EnumSet;
import java.util.Set;

/**
 * What one client wants: event types, and optionally channels and sources. A channel (source) filter
 * applies to the types that have channels (sources) — see {@link EventType} — and an event of such a
 * type must then match it; a null channel or source never matches a set filter. Node events have
 * neither, so only {@code types} can exclude them.
 */
public record EventFilter(Set<EventType> types, Set<String> channels, Set<String> sources) {

    public static final EventFilter ALL = new EventFilter(EnumSet.allOf(EventType.class), Set.of(), Set.of());

    public EventFilter {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        channels = Set.copyOf(channels);
        sources = Set.copyOf(sources);
    }

    public boolean matches(LiveEvent event) {
        return matches(event.type(), event.channel(), event.source());
    }

    public boolean matches(EventType type, String channel, String source) {
        if (channels.isEmpty() && sources.isEmpty() && types.size() == EventType.count()) {
            return true; // the dashboard's case, once per event and client: keep it cheap
        }
        if (!types.contains(type)) {
            return false;
        }
        if (type.hasChannel() && !channels.isEmpty() && (channel == null || !channels.contains(channel))) {
            return false;
        }
        return !type.hasSource() || sources.isEmpty() || (source != null && sources.contains(source));
    }
}
