package io.vigil.replay.simulate;

import io.vigil.replay.event.EventSink;

/**
 * A web service's metrics under a daily load cycle ({@link DailyCycle}, factor d):
 * {@code svc/<service>/request_rate} (base 50-500 req/s x d), {@code latency_p95_ms} (base 40-150 ms x
 * (1 + 0.6 d)), {@code memory_mb} (base 500-2000 MB x (1 + 0.15 d)), {@code error_rate} (about 0.2%) and
 * {@code cpu_pct} (5 + 70 d), each with a few percent of noise.
 *
 * <p>Anomalies (equal weights): {@code latency-spike}, 1-10 minutes of latency 3-6x; {@code memory-leak},
 * a 20-90 minute linear ramp to 40-100% above normal, then back (a restart); {@code error-burst}, 1-5
 * minutes of a 5-25% error rate.
 */
final class ServiceInstance extends SampledMember {

    static final int REQUESTS = 0;
    static final int LATENCY = 1;
    static final int MEMORY = 2;
    static final int ERRORS = 3;
    static final int CPU = 4;

    private final double baseRate;
    private final double baseLatency;
    private final double baseMemory;

    ServiceInstance(String id, SimulationConfig config, Rng rng) {
        super(id, config, rng, "svc", "request_rate", "latency_p95_ms", "memory_mb", "error_rate", "cpu_pct");
        this.baseRate = rng.uniform(50, 500);
        this.baseLatency = rng.uniform(40, 150);
        this.baseMemory = rng.uniform(500, 2000);
    }

    @Override
    protected Injection plan(long t) {
        return switch (planning.weighted(1, 1, 1)) {
            case 0 -> new Injection("latency-spike", LATENCY, t, endAfter(t, samplesIn(planning.uniform(1, 10))),
                    planning.uniform(3, 6));
            case 1 -> new Injection("memory-leak", MEMORY, t, endAfter(t, samplesIn(planning.uniform(20, 90))),
                    planning.uniform(0.4, 1.0));
            default -> new Injection("error-burst", ERRORS, t, endAfter(t, samplesIn(planning.uniform(1, 5))),
                    planning.uniform(0.05, 0.25));
        };
    }

    @Override
    protected void sample(long t, Injection a, EventSink sink) {
        double d = DailyCycle.factor(t);
        double latency = baseLatency * (1 + 0.6 * d) * (1 + noise.gaussian(0.05));
        double memory = baseMemory * (1 + 0.15 * d) + noise.gaussian(5);
        double errors = Math.max(0, 0.002 * (1 + noise.gaussian(0.2)));
        if (a != null && a.channel() == LATENCY) {
            latency *= a.magnitude();
        } else if (a != null && a.channel() == MEMORY) {
            double progress = a.end() == a.start() ? 1 : (double) (t - a.start()) / (a.end() - a.start());
            memory += baseMemory * a.magnitude() * progress;
        } else if (a != null && a.channel() == ERRORS) {
            errors = a.magnitude() * (1 + noise.gaussian(0.1));
        }
        sink.point(handles[REQUESTS], t, Math.max(0, baseRate * d * (1 + noise.gaussian(0.03))));
        sink.point(handles[LATENCY], t, latency);
        sink.point(handles[MEMORY], t, memory);
        sink.point(handles[ERRORS], t, errors);
        sink.point(handles[CPU], t, Math.min(100, Math.max(0, (5 + 70 * d) * (1 + noise.gaussian(0.05)))));
    }
}
