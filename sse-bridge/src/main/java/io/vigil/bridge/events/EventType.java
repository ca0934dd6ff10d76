package io.vigil.bridge.events;

import io.vigil.schemas.Topics;

import java.util.Locale;
import java.util.Optional;

/**
 * The four kinds of event the bridge streams, each read from one topic. The declaration order is part
 * of the event-id format ({@link PositionCodec}): a new kind may only be appended.
 *
 * <p>It also decides which filters apply to which kind: channel filters to the events that belong to a
 * channel, source filters to those that carry (or, for anomalies, inherit) a source; node events have
 * neither.
 */
public enum EventType {
    SCORE("score", Topics.SCORES, true, true),
    ANOMALY("anomaly", Topics.ANOMALIES, true, true),
    NODE("node", Topics.NODE_STATUS, false, false),
    LABEL("label", Topics.LABELS, true, true);

    private static final EventType[] ALL = values();

    private final String eventName;
    private final Topics.Spec topic;
    private final boolean hasChannel;
    private final boolean hasSource;

    EventType(String eventName, Topics.Spec topic, boolean hasChannel, boolean hasSource) {
        this.eventName = eventName;
        this.topic = topic;
        this.hasChannel = hasChannel;
        this.hasSource = hasSource;
    }

    /** The SSE {@code event:} name, also the value of the {@code type} filter. */
    public String eventName() {
        return eventName;
    }

    public String topic() {
        return topic.name();
    }

    public boolean hasChannel() {
        return hasChannel;
    }

    public boolean hasSource() {
        return hasSource;
    }

    public static int count() {
        return ALL.length;
    }

    public static EventType of(int ordinal) {
        return ALL[ordinal];
    }

    public static Optional<EventType> byEventName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (EventType type : ALL) {
            if (type.eventName.equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    public static Optional<EventType> byTopic(String topic) {
        for (EventType type : ALL) {
            if (type.topic().equals(topic)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
