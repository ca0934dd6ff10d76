package io.vigil.topology.intake;

import io.vigil.avro.DeadLetterReason;
import java.util.List;

/**
 * How far an accepted record may stray, one rule for telemetry and heartbeats. Without bounds a single
 * accepted record can switch detection off for good: a point dated far ahead makes every later point
 * of its channel OUT_OF_ORDER, a heartbeat dated far ahead keeps its node from ever recovering, and a
 * time near either end of the long range overflows the arithmetic on gaps and deadlines.
 *
 * <ul>
 *   <li>Event time lies in [{@link #EARLIEST}, {@link #LATEST}] always (the epoch to the end of year
 *       9999), else TIME_TOO_OLD / TIME_AHEAD;</li>
 *   <li>at most {@code maxAheadMs} ahead of the wall clock (0: no limit; replays that run ahead of the
 *       clock set it to cover their lead), else TIME_AHEAD;</li>
 *   <li>at most {@code maxAgeMs} behind the wall clock (0: no limit, so history can be replayed with
 *       its own times), else TIME_TOO_OLD;</li>
 *   <li>ids (record keys) are 1 to {@code maxIdBytes} bytes of valid UTF-8, else INVALID_KEY;</li>
 *   <li>a value's magnitude is at most {@link #MAX_MAGNITUDE}, else VALUE_OUT_OF_RANGE: the squares of
 *       differences of two such values stay finite, so no detector's running statistics can overflow;</li>
 *   <li>a point carries at most {@link #MAX_INPUTS} input features, each finite and bounded like a
 *       value, else INVALID_VALUE / VALUE_OUT_OF_RANGE.</li>
 * </ul>
 *
 * @param maxAheadMs how far ahead of the wall clock an event time may be, 0 for no limit
 * @param maxAgeMs how far behind the wall clock an event time may be, 0 for no limit
 * @param maxIdBytes longest accepted key, in bytes
 */
public record InputBounds(long maxAheadMs, long maxAgeMs, int maxIdBytes) {

    /** The earliest accepted event time: the epoch. */
    public static final long EARLIEST = 0L;
    /** The latest accepted event time: 9999-12-31T23:59:59.999Z. */
    public static final long LATEST = 253_402_300_799_999L;
    /** 2^510: the difference of two accepted values squares to at most 2^1022, below Double.MAX_VALUE. */
    public static final double MAX_MAGNITUDE = 0x1p510;

    /** Input features a point may carry: Telemanom's widest arrays (MSL) have 54 beside the value. */
    public static final int MAX_INPUTS = 256;

    public static final InputBounds DEFAULT = new InputBounds(10 * 60_000L, 0, 512);

    public InputBounds {
        if (maxAheadMs < 0 || maxAgeMs < 0 || maxIdBytes < 1) {
            throw new IllegalArgumentException("invalid input bounds: InputBounds[maxAheadMs=" + maxAheadMs
                    + ", maxAgeMs=" + maxAgeMs + ", maxIdBytes=" + maxIdBytes + "]");
        }
    }

    /** The rejection of an event time at {@code nowMs} on the wall clock, or null when it is accepted. */
    public RecordIntake.Rejection checkTime(long eventTimeMs, long nowMs) {
        if (eventTimeMs < EARLIEST) {
            return new RecordIntake.Rejection(DeadLetterReason.TIME_TOO_OLD,
                    "event time " + eventTimeMs + " is before the epoch");
        }
        if (eventTimeMs > LATEST) {
            return new RecordIntake.Rejection(DeadLetterReason.TIME_AHEAD,
                    "event time " + eventTimeMs + " is after the year 9999");
        }
        if (maxAheadMs > 0 && eventTimeMs - nowMs > maxAheadMs) {
            return new RecordIntake.Rejection(DeadLetterReason.TIME_AHEAD, "event time " + eventTimeMs + " is "
                    + (eventTimeMs - nowMs) + " ms ahead of the clock; at most " + maxAheadMs + " ms are accepted");
        }
        if (maxAgeMs > 0 && nowMs - eventTimeMs > maxAgeMs) {
            return new RecordIntake.Rejection(DeadLetterReason.TIME_TOO_OLD, "event time " + eventTimeMs + " is "
                    + (nowMs - eventTimeMs) + " ms old; at most " + maxAgeMs + " ms are accepted");
        }
        return null;
    }

    /** The rejection of a measured value, or null when it can be scored. */
    public static RecordIntake.Rejection checkValue(double value) {
        return checkNumber("value", value);
    }

    /** The rejection of a point's input features, or null when they can be scored. */
    public static RecordIntake.Rejection checkInputs(List<Double> inputs) {
        if (inputs.size() > MAX_INPUTS) {
            return new RecordIntake.Rejection(DeadLetterReason.INVALID_VALUE, "the point carries " + inputs.size()
                    + " input features; at most " + MAX_INPUTS + " are accepted");
        }
        for (int i = 0; i < inputs.size(); i++) {
            RecordIntake.Rejection r = checkNumber("input " + i, inputs.get(i));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static RecordIntake.Rejection checkNumber(String what, double value) {
        if (!Double.isFinite(value)) {
            return new RecordIntake.Rejection(DeadLetterReason.INVALID_VALUE, what + " is " + value);
        }
        if (Math.abs(value) > MAX_MAGNITUDE) {
            return new RecordIntake.Rejection(DeadLetterReason.VALUE_OUT_OF_RANGE,
                    what + " " + value + " exceeds the largest magnitude scored, 2^510 (" + MAX_MAGNITUDE + ")");
        }
        return null;
    }
}
