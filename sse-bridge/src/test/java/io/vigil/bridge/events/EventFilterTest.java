package io.vigil.bridge.events;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventFilterTest {

    @Test
    void channelAndSourceFiltersApplyToTheTypesThatHaveThem() {
        EventFilter filter = new EventFilter(EnumSet.allOf(EventType.class), Set.of("P-1"), Set.of("smap"));
        assertTrue(filter.matches(EventType.SCORE, "P-1", "smap"));
        assertFalse(filter.matches(EventType.SCORE, "P-2", "smap"));
        assertFalse(filter.matches(EventType.SCORE, "P-1", "msl"));
        assertFalse(filter.matches(EventType.ANOMALY, "P-1", null), "an anomaly of a channel of unknown source");
        assertTrue(filter.matches(EventType.NODE, null, null), "nodes have neither channel nor source");
        assertFalse(new EventFilter(EnumSet.of(EventType.SCORE), Set.of(), Set.of()).matches(EventType.NODE, null, null));
        assertTrue(EventFilter.ALL.matches(EventType.LABEL, "x", ""));
    }

    @Test
    void framesAreSingleLinesAndIdsCanBeReplaced() {
        Frame frame = Frame.event("score", "AQ", "{\"a\":1}");
        assertTrue(new String(frame.bytes()).equals("id: AQ\nevent: score\ndata: {\"a\":1}\n\n"));
        assertTrue(new String(frame.withId("AgI").bytes()).equals("id: AgI\nevent: score\ndata: {\"a\":1}\n\n"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Frame.event("score", "AQ", "{\"a\":\n1}"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Frame.comment("a\rb"));
    }
}
