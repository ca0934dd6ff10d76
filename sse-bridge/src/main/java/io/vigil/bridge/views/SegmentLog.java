package io.vigil.bridge.views;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recent {@code capacity} segments, one entry per segment: a later record of the same
 * segment (CLOSED after OPEN; the same label again) replaces the earlier one in place. Oldest
 * segments are forgotten first. Not thread-safe: {@link Views} guards it.
 */
final class SegmentLog {

    private record Key(String channelId, long start, Long end) {
    }

    private final int capacity;
    private final boolean keyByEnd;
    private final LinkedHashMap<Key, SegmentSummary> segments = new LinkedHashMap<>();

    /** {@code keyByEnd}: labels are identified by start and end, anomaly segments by start alone. */
    SegmentLog(int capacity, boolean keyByEnd) {
        this.capacity = capacity;
        this.keyByEnd = keyByEnd;
    }

    void add(SegmentSummary segment) {
        segments.put(new Key(segment.channelId(), segment.start(), keyByEnd ? segment.end() : null), segment);
        if (segments.size() > capacity) {
            Iterator<Map.Entry<Key, SegmentSummary>> oldest = segments.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Newest first, at most {@code limit}, only {@code channel}'s when it is not null. */
    List<SegmentSummary> recent(String channel, int limit) {
        List<SegmentSummary> all = new ArrayList<>(segments.values());
        List<SegmentSummary> picked = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && picked.size() < limit; i--) {
            SegmentSummary s = all.get(i);
            if (channel == null || channel.equals(s.channelId())) {
                picked.add(s);
            }
        }
        return picked;
    }
}
