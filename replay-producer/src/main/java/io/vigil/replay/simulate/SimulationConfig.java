package io.vigil.replay.simulate;

/**
 * What to simulate.
 *
 * @param members meters, services or telescope nodes (each has several channels)
 * @param start simulated time of the first sample (epoch millis)
 * @param end simulated time the run ends at, or {@link Long#MAX_VALUE} when it runs until stopped; only
 *        a node death needs it (its label lasts until then)
 * @param periodMillis sampling period of every telemetry channel
 * @param anomaliesPerHour injected anomalies (dropouts for telescope nodes) per member per simulated hour
 * @param sagDepth voltage sag depth as a fraction of nominal (0.15 = 15% below 230 V)
 * @param source the {@code source} of every point and label
 */
public record SimulationConfig(FleetKind kind, int members, long seed, long start, long end, long periodMillis,
        double anomaliesPerHour, double sagDepth, DropoutMix dropouts, String source) {

    public SimulationConfig {
        if (members < 1) {
            throw new IllegalArgumentException("a fleet needs at least one member, not " + members);
        }
        if (periodMillis < 1) {
            throw new IllegalArgumentException("the sampling period must be at least 1 ms");
        }
        if (anomaliesPerHour < 0) {
            throw new IllegalArgumentException("the anomaly rate cannot be negative");
        }
        if (sagDepth <= 0 || sagDepth >= 1) {
            throw new IllegalArgumentException("the sag depth is a fraction of nominal voltage in (0, 1), not " + sagDepth);
        }
    }

    /** Defaults for {@code kind}: its own sampling period, 1 anomaly per member-hour, 15% sags, the default mix. */
    public static SimulationConfig of(FleetKind kind, int members, long seed, long start) {
        return new SimulationConfig(kind, members, seed, start, Long.MAX_VALUE, kind.defaultPeriodMillis(), 1.0, 0.15,
                DropoutMix.DEFAULT, "sim/" + kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    public SimulationConfig withEnd(long newEnd) {
        return new SimulationConfig(kind, members, seed, start, newEnd, periodMillis, anomaliesPerHour, sagDepth, dropouts, source);
    }

    public SimulationConfig withAnomalies(double perHour) {
        return new SimulationConfig(kind, members, seed, start, end, periodMillis, perHour, sagDepth, dropouts, source);
    }

    public SimulationConfig withPeriod(long millis) {
        return new SimulationConfig(kind, members, seed, start, end, millis, anomaliesPerHour, sagDepth, dropouts, source);
    }

    public SimulationConfig withSagDepth(double depth) {
        return new SimulationConfig(kind, members, seed, start, end, periodMillis, anomaliesPerHour, depth, dropouts, source);
    }

    public SimulationConfig withDropouts(DropoutMix mix) {
        return new SimulationConfig(kind, members, seed, start, end, periodMillis, anomaliesPerHour, sagDepth, mix, source);
    }

    public SimulationConfig withSource(String newSource) {
        return new SimulationConfig(kind, members, seed, start, end, periodMillis, anomaliesPerHour, sagDepth, dropouts, newSource);
    }
}
