package io.vigil.replay.simulate;

import io.vigil.replay.event.EventSink;

/**
 * A fleet member whose channels are all sampled together on a regular grid (a random phase within the
 * first period, so a fleet is not synchronized), with at most one injected anomaly at a time.
 *
 * <p>An anomaly's label is published at its first sample, before that sample's points, and covers
 * exactly the samples it affects; the next anomaly is drawn from the end of this one.
 */
abstract class SampledMember implements Member {

    protected final String id;
    protected final SimulationConfig config;
    protected final Rng noise;
    protected final Rng planning;
    private final String[] channelNames;
    protected final int[] handles;
    private final AnomalyClock clock;
    private long next;
    private Injection active;

    SampledMember(String id, SimulationConfig config, Rng rng, String prefix, String... channelNames) {
        this.id = id;
        this.config = config;
        this.noise = rng.split();
        this.planning = rng.split();
        this.channelNames = new String[channelNames.length];
        for (int i = 0; i < channelNames.length; i++) {
            this.channelNames[i] = prefix + "/" + id + "/" + channelNames[i];
        }
        this.handles = new int[channelNames.length];
        this.next = config.start() + (long) (rng.uniform(0, 1) * config.periodMillis());
        this.clock = new AnomalyClock(planning, config.anomaliesPerHour(), config.start());
    }

    @Override
    public void open(EventSink sink) {
        for (int i = 0; i < channelNames.length; i++) {
            handles[i] = sink.channel(channelNames[i], config.source());
        }
    }

    @Override
    public long nextTime() {
        return next;
    }

    @Override
    public void emitNext(EventSink sink) {
        long t = next;
        if (active == null && clock.due(t)) {
            active = plan(t);
            sink.label(handles[active.channel()], t, active.start(), active.end(), active.kind());
        }
        sample(t, active != null && active.covers(t) ? active : null, sink);
        if (active != null && t >= active.end()) {
            clock.rearm(active.end());
            active = null;
        }
        next = t + config.periodMillis();
    }

    /** The end of an anomaly starting at {@code start} that affects {@code samples} samples. */
    protected long endAfter(long start, int samples) {
        return start + (long) (Math.max(1, samples) - 1) * config.periodMillis();
    }

    /** Samples in {@code minutes} of simulated time (at least one). */
    protected int samplesIn(double minutes) {
        return (int) Math.max(1, Math.round(minutes * 60_000 / config.periodMillis()));
    }

    /** Chooses the anomaly that starts at sample time {@code t}. */
    protected abstract Injection plan(long t);

    /** Emits the points of sample time {@code t}; {@code anomaly} is the injection covering it, or null. */
    protected abstract void sample(long t, Injection anomaly, EventSink sink);
}
