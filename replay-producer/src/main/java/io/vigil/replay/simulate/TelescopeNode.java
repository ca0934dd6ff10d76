package io.vigil.replay.simulate;

import io.vigil.avro.NodeState;
import io.vigil.replay.event.EventSink;
import io.vigil.replay.event.EventSource;

/**
 * A telescope (or spacecraft) node: heartbeats keyed by its id every 15-30 s (its own interval, each
 * beat jittered by up to +-10% of it), alternating ONLINE (idle, no target) for 1-10 minutes and BUSY
 * observing a target ({@code M1}..{@code M110}) for 5-30 minutes; and housekeeping channels
 * {@code node/<id>/ccd_temp_c}, {@code mount_current_a} and {@code disk_free_gb} every sampling period.
 *
 * <p>Dropouts (kinds weighted by {@link DropoutMix}), labelled on the channel
 * {@code node/<id>/heartbeat}. The label covers exactly the heartbeats that were due and not sent
 * (from the first to the last missed beat's due time, inclusive); housekeeping is silent then too:
 * <ul>
 * <li>{@code flap}: 4-12 beats missed (more than the 3.5 intervals a liveness check waits), then the node
 *     returns in the state it had;</li>
 * <li>{@code park}: a PARKED heartbeat, then 20-120 beats of expected silence, then ONLINE; a detector
 *     must not fault this;</li>
 * <li>{@code die}: no more records; the label ends when the run does ({@link SimulationConfig#end()},
 *     {@link Long#MAX_VALUE} when it runs until stopped).</li>
 * </ul>
 * Labels are published when the silence is decided (at the first missed beat's time, or with the
 * PARKED heartbeat), never after the fact.
 */
final class TelescopeNode implements Member {

    private static final long MINUTE = 60_000;

    private final String id;
    private final SimulationConfig config;
    private final Rng beats;
    private final Rng states;
    private final Rng noise;
    private final Rng dropouts;
    private final AnomalyClock dropoutClock;
    private final long interval;
    private final int[] housekeeping = new int[3];
    private int heartbeatChannel;
    private int node;

    private long nextBeat;
    private long nextSample;
    private long silentFrom = Long.MAX_VALUE;
    private long silentTo = Long.MIN_VALUE;
    private boolean dead;
    private NodeState state = NodeState.ONLINE;
    private String target;
    private long stateUntil;
    private double diskFree;

    TelescopeNode(String id, SimulationConfig config, Rng rng) {
        this.id = id;
        this.config = config;
        this.beats = rng.split();
        this.states = rng.split();
        this.noise = rng.split();
        this.dropouts = rng.split();
        this.interval = Math.round(rng.uniform(15_000, 30_000));
        this.nextBeat = config.start() + Math.round(rng.uniform(0, interval));
        this.nextSample = config.start() + Math.round(rng.uniform(0, config.periodMillis()));
        this.stateUntil = config.start() + Math.round(states.uniform(0, 10 * MINUTE));
        this.diskFree = rng.uniform(200, 500);
        this.dropoutClock = new AnomalyClock(dropouts, config.anomaliesPerHour(), config.start());
    }

    @Override
    public void open(EventSink sink) {
        node = sink.node(id);
        String prefix = "node/" + id + "/";
        heartbeatChannel = sink.channel(prefix + "heartbeat", config.source());
        housekeeping[0] = sink.channel(prefix + "ccd_temp_c", config.source());
        housekeeping[1] = sink.channel(prefix + "mount_current_a", config.source());
        housekeeping[2] = sink.channel(prefix + "disk_free_gb", config.source());
    }

    @Override
    public long nextTime() {
        return dead ? EventSource.END : Math.min(nextBeat, nextSample);
    }

    @Override
    public void emitNext(EventSink sink) {
        if (nextBeat <= nextSample) {
            beat(sink);
        } else {
            housekeeping(sink);
        }
    }

    private void beat(EventSink sink) {
        long t = nextBeat;
        if (dropoutClock.due(t)) {
            dropout(t, sink);
            return;
        }
        updateState(t);
        sink.heartbeat(node, t, state, target);
        nextBeat = t + step();
    }

    private void dropout(long t, EventSink sink) {
        DropoutMix.Kind kind = config.dropouts().pick(dropouts);
        switch (kind) {
            case DIE -> {
                sink.label(heartbeatChannel, t, t, Math.max(t, config.end()), kind.label());
                dead = true;
                return;
            }
            case FLAP -> {
                long last = missedBeats(t, dropouts.between(4, 12));
                sink.label(heartbeatChannel, t, t, last, kind.label());
                silence(t, last);
            }
            case PARK -> {
                long first = t + step();
                long last = missedBeats(first, dropouts.between(20, 120));
                sink.label(heartbeatChannel, t, first, last, kind.label());
                sink.heartbeat(node, t, NodeState.PARKED, null);
                silence(first, last);
                state = NodeState.ONLINE;
                target = null;
                stateUntil = nextBeat + Math.round(states.uniform(MINUTE, 10 * MINUTE));
            }
        }
        dropoutClock.rearm(nextBeat);
    }

    /** Due time of the last of {@code count} beats starting with the one due at {@code first}. */
    private long missedBeats(long first, int count) {
        long last = first;
        for (int i = 1; i < count; i++) {
            last += step();
        }
        return last;
    }

    private void silence(long from, long to) {
        silentFrom = from;
        silentTo = to;
        nextBeat = to + step();
    }

    private long step() {
        return interval + Math.round(beats.uniform(-0.1, 0.1) * interval);
    }

    private void updateState(long t) {
        if (t < stateUntil) {
            return;
        }
        if (state == NodeState.BUSY) {
            state = NodeState.ONLINE;
            target = null;
            stateUntil = t + Math.round(states.uniform(MINUTE, 10 * MINUTE));
        } else {
            state = NodeState.BUSY;
            target = "M" + states.between(1, 110);
            stateUntil = t + Math.round(states.uniform(5 * MINUTE, 30 * MINUTE));
        }
    }

    private void housekeeping(EventSink sink) {
        long t = nextSample;
        nextSample = t + config.periodMillis();
        if (t >= silentFrom && t <= silentTo) {
            return;
        }
        boolean busy = state == NodeState.BUSY;
        if (busy) {
            diskFree = Math.max(0, diskFree - 0.005);
        }
        sink.point(housekeeping[0], t, (busy ? -100 : -95) + noise.gaussian(busy ? 0.3 : 0.5));
        sink.point(housekeeping[1], t, busy ? 2.5 + noise.gaussian(0.1) : 0.3 + noise.gaussian(0.05));
        sink.point(housekeeping[2], t, diskFree + noise.gaussian(0.01));
    }
}
