package io.vigil.bridge.events;

import java.util.Set;

/**
 * The one copy of recent events that every client reads from, and the resume history.
 *
 * <p>It decides what memory holds: a ring of {@code capacity} events, each client reading it through
 * its own cursor, so publishing costs the same for 1 client or 1,000 and a slow client costs a
 * number, not a queue. Of those, the last {@code historySize} serve resumes: {@link #historyStart()}
 * is a position such that every event at or after it, on every partition, is among them.
 *
 * <p>Threads: one writer (the feed, under the hub's lock) appends and publishes with a volatile
 * {@code head}; IO threads read any slot without locking. Entries are immutable and carry their
 * sequence number, so a reader that lost a race with the writer wrapping around sees a different
 * sequence and knows the event it wanted is gone.
 */
final class EventLog {

    private record Entry(long seq, LiveEvent event) {
    }

    private final Entry[] slots;
    private final int historySize;
    private volatile long head; // the sequence number the next event gets
    private Position historyStart = Position.EMPTY; // writer only (under the hub lock)

    EventLog(int capacity, int historySize) {
        if (capacity < 1 || historySize < 0 || historySize > capacity) {
            throw new IllegalArgumentException("capacity " + capacity + ", history " + historySize);
        }
        this.slots = new Entry[capacity];
        this.historySize = historySize;
    }

    /** Before the first append: the position the history starts from. */
    void begin(Position start) {
        historyStart = start;
    }

    void append(LiveEvent event) {
        long seq = head;
        if (historySize == 0) {
            historyStart = historyStart.with(event.type(), event.partition(), event.offset() + 1);
        } else if (seq >= historySize) {
            LiveEvent leaving = get(seq - historySize);
            historyStart = historyStart.with(leaving.type(), leaving.partition(), leaving.offset() + 1);
        }
        slots[(int) (seq % slots.length)] = new Entry(seq, event);
        head = seq + 1;
    }

    /** The sequence number of the next event: every event below it is published. */
    long head() {
        return head;
    }

    /** The event with this sequence number, or null if it was overwritten (or not written yet). */
    LiveEvent get(long seq) {
        Entry entry = slots[(int) (seq % slots.length)];
        return entry != null && entry.seq() == seq ? entry.event() : null;
    }

    /** The oldest sequence number still held. */
    long oldest() {
        return Math.max(0, head - slots.length);
    }

    int capacity() {
        return slots.length;
    }

    Position historyStart() {
        return historyStart;
    }

    /** The oldest sequence number of the resume history. */
    long historyFirst() {
        return Math.max(0, head - historySize);
    }

    int historyCount() {
        return (int) Math.min(head, historySize);
    }

    /** Whether every event after {@code from}, on the partitions {@code frontier} lists for {@code types}, is in the history. */
    boolean covers(Position from, Set<EventType> types, Position frontier) {
        for (EventType type : types) {
            for (int p = 0; p < frontier.partitions(type); p++) {
                if (from.next(type, p) < historyStart.next(type, p)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** How many history events at or after {@code from} {@code filter} wants. */
    int countAfter(Position from, EventFilter filter) {
        int count = 0;
        for (long seq = historyFirst(); seq < head; seq++) {
            LiveEvent event = get(seq);
            if (event.offset() >= from.next(event.type(), event.partition()) && filter.matches(event)) {
                count++;
            }
        }
        return count;
    }
}
