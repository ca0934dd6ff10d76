package io.vigil.bridge.events;

import io.vigil.bridge.testing.Events;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogTest {

    private final Events events = new Events(Events.start());
    private final Set<EventType> scores = EnumSet.of(EventType.SCORE);

    @Test
    void coversAResumePointOnlyWhileEveryEventAfterItIsInTheHistory() {
        EventLog log = new EventLog(5, 3);
        log.begin(events.position());
        Position before = events.position();
        LiveEvent a1 = events.score(0, "A", "1");
        Position afterA1 = events.position();
        log.append(a1);
        log.append(events.score(1, "B", "2"));
        log.append(events.score(0, "A", "3"));
        assertTrue(log.covers(before, scores, events.position()));
        assertEquals(2, log.countAfter(afterA1, EventFilter.ALL));
        assertEquals(1, log.countAfter(afterA1, new EventFilter(scores, Set.of("A"), Set.of())));

        log.append(events.score(1, "B", "4")); // a1 leaves the history, not yet the ring
        assertFalse(log.covers(before, scores, events.position()));
        assertTrue(log.covers(afterA1, scores, events.position()));
        assertEquals(afterA1, log.historyStart());
        assertTrue(log.covers(before, EnumSet.of(EventType.NODE), events.position()), "nodes were never missed");
        assertSame(a1, log.get(0), "still readable by a lagging client");
        assertEquals(1, log.historyFirst());
    }

    @Test
    void aReaderThatLostTheRaceWithTheWriterSeesNothingRatherThanTheWrongEvent() {
        EventLog log = new EventLog(2, 2);
        log.begin(events.position());
        log.append(events.score(0, "A", "1"));
        log.append(events.score(0, "A", "2"));
        log.append(events.score(0, "A", "3")); // overwrites sequence 0
        assertNull(log.get(0));
        assertEquals(1, log.oldest());
        assertEquals(3, log.head());
        assertNull(log.get(3), "not written yet");
    }

    @Test
    void withoutHistoryItCoversOnlyTheFrontier() {
        EventLog log = new EventLog(10, 0);
        log.begin(events.position());
        Position before = events.position();
        log.append(events.score(0, "A", "1"));
        assertFalse(log.covers(before, scores, events.position()));
        assertTrue(log.covers(events.position(), scores, events.position()));
        assertEquals(0, log.historyCount());
    }
}
