package io.vigil.topology.heartbeat;

/**
 * When a silent node counts as FAULTED.
 *
 * @param timeMode which clock decides silence
 * @param defaultIntervalMs heartbeat interval assumed for a node until two of its heartbeats are seen
 * @param floorIntervalMs the learned interval never drops below this, so a burst of heartbeats
 *     cannot make a node fault after a few milliseconds of silence
 * @param missedBeats consecutive missed heartbeats that make a node FAULTED
 * @param graceFraction extra fraction of an interval allowed before the last miss counts (jitter)
 * @param checkIntervalMs how often (in the chosen clock) deadlines are checked
 * @param learningRate weight of a new gap in the learned interval (exponential moving average)
 */
public record LivenessSettings(TimeMode timeMode, long defaultIntervalMs, long floorIntervalMs, int missedBeats,
                               double graceFraction, long checkIntervalMs, double learningRate) {

    /**
     * STREAM_TIME follows the heartbeats' own time (replays at 100x detect faults at 100x; if every
     * heartbeat of a partition stops, its stream time stops and so do fault checks). WALL_CLOCK
     * follows this machine's clock (live fleets: a completely silent stream still faults its nodes).
     */
    public enum TimeMode { STREAM_TIME, WALL_CLOCK }

    public static final LivenessSettings DEFAULT =
            new LivenessSettings(TimeMode.WALL_CLOCK, 30_000, 1_000, 3, 0.5, 1_000, 0.2);

    public LivenessSettings {
        if (defaultIntervalMs < floorIntervalMs || floorIntervalMs <= 0 || missedBeats < 1 || graceFraction < 0
                || checkIntervalMs <= 0 || !(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("invalid liveness settings: LivenessSettings[timeMode=" + timeMode
                    + ", defaultIntervalMs=" + defaultIntervalMs + ", floorIntervalMs=" + floorIntervalMs
                    + ", missedBeats=" + missedBeats + ", graceFraction=" + graceFraction
                    + ", checkIntervalMs=" + checkIntervalMs + ", learningRate=" + learningRate + "]");
        }
    }

    /** How long after {@code seen} a node with {@code intervalMs} becomes FAULTED. */
    long silenceAllowedMs(double intervalMs) {
        return (long) Math.ceil((missedBeats + graceFraction) * intervalMs);
    }
}
