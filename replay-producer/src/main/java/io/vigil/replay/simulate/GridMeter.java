package io.vigil.replay.simulate;

import io.vigil.replay.event.EventSink;

/**
 * A power-grid meter: {@code grid/<meter>/voltage_v} (230 V, noise sigma 0.8 V), {@code current_a} (the
 * meter's load, 5-40 A, following the daily cycle) and {@code frequency_hz} (50 Hz, noise sigma 0.01 Hz).
 *
 * <p>Anomalies (weights 2:2:1): {@code spike}, 1-3 samples, either a voltage surge of 10-25% or a current
 * inrush of 2-4x; {@code sag}, 3-30 samples of voltage at {@code (1 - sagDepth) x 230 V}; and
 * {@code frequency-excursion}, 10-60 samples 0.3-0.8 Hz off nominal either way.
 */
final class GridMeter extends SampledMember {

    static final double NOMINAL_VOLTS = 230;
    static final double VOLT_NOISE = 0.8;
    static final double NOMINAL_HZ = 50;
    static final double HZ_NOISE = 0.01;
    static final int VOLTAGE = 0;
    static final int CURRENT = 1;
    static final int FREQUENCY = 2;

    private final double baseAmps;

    GridMeter(String id, SimulationConfig config, Rng rng) {
        super(id, config, rng, "grid", "voltage_v", "current_a", "frequency_hz");
        this.baseAmps = rng.uniform(5, 40);
    }

    @Override
    protected Injection plan(long t) {
        return switch (planning.weighted(2, 2, 1)) {
            case 0 -> planning.chance(0.5)
                    ? new Injection("spike", VOLTAGE, t, endAfter(t, planning.between(1, 3)), planning.uniform(0.10, 0.25))
                    : new Injection("spike", CURRENT, t, endAfter(t, planning.between(1, 3)), planning.uniform(2, 4));
            case 1 -> new Injection("sag", VOLTAGE, t, endAfter(t, planning.between(3, 30)), config.sagDepth());
            default -> new Injection("frequency-excursion", FREQUENCY, t, endAfter(t, planning.between(10, 60)),
                    (planning.chance(0.5) ? 1 : -1) * planning.uniform(0.3, 0.8));
        };
    }

    @Override
    protected void sample(long t, Injection a, EventSink sink) {
        double volts = NOMINAL_VOLTS;
        double amps = baseAmps * (0.7 + 0.6 * DailyCycle.factor(t));
        double hz = NOMINAL_HZ;
        if (a != null) {
            switch (a.kind()) {
                case "sag" -> volts = NOMINAL_VOLTS * (1 - a.magnitude());
                case "spike" -> {
                    if (a.channel() == VOLTAGE) {
                        volts = NOMINAL_VOLTS * (1 + a.magnitude());
                    } else {
                        amps *= a.magnitude();
                    }
                }
                default -> hz += a.magnitude();
            }
        }
        sink.point(handles[VOLTAGE], t, volts + noise.gaussian(VOLT_NOISE));
        sink.point(handles[CURRENT], t, Math.max(0, amps + noise.gaussian(0.3)));
        sink.point(handles[FREQUENCY], t, hz + noise.gaussian(HZ_NOISE));
    }
}
