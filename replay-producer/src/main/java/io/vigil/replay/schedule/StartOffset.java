package io.vigil.replay.schedule;

import io.vigil.replay.cli.Durations;
import java.time.Duration;

/**
 * Where each series' replay begins ({@code --start-offset}): skip its first {@code points} points, or
 * the points within {@code duration} of its own first point. Counted per series, as a point count can
 * only be, so both spellings mean the same kind of thing.
 */
public record StartOffset(long points, Duration duration) {

    public static final StartOffset NONE = new StartOffset(0, Duration.ZERO);

    public StartOffset {
        if (points < 0 || duration.isNegative()) {
            throw new IllegalArgumentException("a start offset cannot be negative");
        }
        if (points > 0 && !duration.isZero()) {
            throw new IllegalArgumentException("a start offset is a point count or a duration, not both");
        }
    }

    /** {@code 500} (points) or a duration such as {@code 2d}, {@code 90m}, {@code PT6H}. */
    public static StartOffset parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return new StartOffset(Long.parseLong(t), Duration.ZERO);
        }
        return new StartOffset(0, Durations.parse(t));
    }

    /** Index of the first point to replay in {@code times}; {@code times.length} when none is left. */
    int firstIndex(long[] times) {
        if (points > 0) {
            return (int) Math.min(points, times.length);
        }
        long from = times[0] + duration.toMillis();
        int i = 0;
        while (i < times.length && times[i] < from) {
            i++;
        }
        return i;
    }

    @Override
    public String toString() {
        return points > 0 ? points + " points" : duration.toString();
    }
}
