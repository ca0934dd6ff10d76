package io.vigil.bridge.events;

import java.nio.ByteBuffer;

/**
 * One client's place in the shared {@link EventLog}, and what it decides for that client: which events
 * it gets (its filter; nothing below its floor after a resume, with ids raised to the floor until the
 * log passes it), when it has fallen too far behind (more than {@code window} events: the oldest
 * unread are skipped, counted and announced with a {@link Frame#dropped} frame where they were), and
 * when to tell a client whose filter skipped everything its position (a bare {@code id:}, at most once
 * a second).
 *
 * <p>Confined to the client's IO thread, except {@link #start}, which the hub calls under its lock
 * before the client is published as live, and {@link #behind}, a racy read for metrics.
 */
final class LogCursor {

    static final long ID_INTERVAL_NANOS = 1_000_000_000L;

    private final EventLog log;
    private final EventFilter filter;
    private final int window;
    private final HubMeters meters;
    private volatile long next; // sequence number of the next event to read
    private Position floor;
    private long protectedUntil; // events before this were handed over on resume: never dropped as late
    private long unannouncedDrops;
    private LiveEvent lastSkipped;
    private long lastIdNanos;

    LogCursor(EventLog log, EventFilter filter, int window, HubMeters meters) {
        this.log = log;
        this.filter = filter;
        this.window = window;
        this.meters = meters;
    }

    /** Reads from sequence {@code from}, skipping events below {@code floorPosition} (null: none). */
    void start(long from, Position floorPosition, long protect) {
        next = from;
        floor = floorPosition;
        protectedUntil = protect;
    }

    long behind() {
        return Math.max(0, log.head() - next);
    }

    /** Skips what has fallen out of the window, without writing (for a client waiting on its socket). */
    void dropIfBehind() {
        long head = log.head();
        long at = next;
        if (at >= protectedUntil && head - at > window) {
            drop(wanted(at, head - window));
            next = head - window;
        }
    }

    /**
     * Copies whole frames into {@code out} from the cursor on, adding the data events copied to
     * {@code events[0]}. Returns a frame too large for the buffer (taken, to be written alone) or null.
     */
    Frame fill(ByteBuffer out, long[] events) {
        dropIfBehind();
        long head = log.head();
        long at = next;
        try {
            while (true) {
                if (unannouncedDrops > 0) {
                    Frame notice = Frame.dropped(unannouncedDrops);
                    if (notice.length() > out.remaining()) {
                        return null;
                    }
                    out.put(notice.bytes());
                    unannouncedDrops = 0;
                }
                if (at >= head) {
                    break;
                }
                LiveEvent event = log.get(at);
                if (event == null) { // overwritten while this client lagged: skip to what is left
                    long oldest = Math.max(log.oldest(), at + 1);
                    drop(oldest - at);
                    at = oldest;
                    continue;
                }
                Frame frame = frameFor(event);
                if (frame == null) {
                    at++;
                    continue;
                }
                if (frame.length() > out.remaining()) {
                    if (out.position() == 0 && frame.length() > out.capacity()) {
                        at++;
                        events[0]++;
                        lastSkipped = null;
                        return frame;
                    }
                    return null;
                }
                out.put(frame.bytes());
                events[0]++;
                lastSkipped = null;
                at++;
            }
            tellPosition(out);
            return null;
        } finally {
            next = at;
        }
    }

    /** The frame to send for a log event, or null if this client does not get it. */
    private Frame frameFor(LiveEvent event) {
        Position below = floor;
        if (below != null) {
            if (event.offset() < below.next(event.type(), event.partition())) {
                return null; // sent before the resume
            }
            if (event.after().atOrPast(below, filter.types())) {
                floor = null; // the log has passed the floor: positions only grow from here
                below = null;
            }
        }
        if (!filter.matches(event)) {
            lastSkipped = event;
            return null;
        }
        return below == null ? event.frame()
                : event.frame().withId(PositionCodec.encode(event.after().max(below)));
    }

    /** A bare id with the position of the last skipped event, at most once a second. */
    private void tellPosition(ByteBuffer out) {
        long now = System.nanoTime();
        if (lastSkipped == null || now - lastIdNanos < ID_INTERVAL_NANOS) {
            return;
        }
        Position at = floor == null ? lastSkipped.after() : lastSkipped.after().max(floor);
        Frame id = Frame.id(PositionCodec.encode(at));
        if (id.length() <= out.remaining()) {
            out.put(id.bytes());
            lastSkipped = null;
            lastIdNanos = now;
        }
    }

    private void drop(long count) {
        if (count > 0) {
            unannouncedDrops += count;
            meters.dropped(count);
        }
    }

    /** How many of the events in {@code [from, to)} this client would have got (all, if no longer held). */
    private long wanted(long from, long to) {
        long count = 0;
        for (long seq = from; seq < to; seq++) {
            LiveEvent event = log.get(seq);
            if (event == null || filter.matches(event)) {
                count++;
            }
        }
        return count;
    }
}
