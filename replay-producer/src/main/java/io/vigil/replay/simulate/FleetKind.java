package io.vigil.replay.simulate;

/** The simulated fleets, with the sampling period each uses unless told otherwise. */
public enum FleetKind {
    GRID(1_000),
    SERVICES(10_000),
    TELESCOPES(10_000);

    private final long defaultPeriodMillis;

    FleetKind(long defaultPeriodMillis) {
        this.defaultPeriodMillis = defaultPeriodMillis;
    }

    public long defaultPeriodMillis() {
        return defaultPeriodMillis;
    }
}
