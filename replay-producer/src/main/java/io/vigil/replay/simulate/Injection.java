package io.vigil.replay.simulate;

/**
 * One injected anomaly: which of the member's channels it affects, its window {@code [start, end]}
 * (inclusive, on the member's sampling grid, exactly what its label says), and its size in the kind's own
 * terms (a fraction, a factor or an offset).
 */
record Injection(String kind, int channel, long start, long end, double magnitude) {

    boolean covers(long time) {
        return time >= start && time <= end;
    }

    boolean on(int slot, long time) {
        return channel == slot && covers(time);
    }
}
