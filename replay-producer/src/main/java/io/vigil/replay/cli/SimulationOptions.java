package io.vigil.replay.cli;

import io.vigil.replay.simulate.DropoutMix;
import io.vigil.replay.simulate.FleetKind;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of a simulated fleet ({@code --simulate}); they mean nothing to a replay. */
public final class SimulationOptions {

    @Option(names = "--simulate", paramLabel = "FLEET",
            description = "Simulate a fleet instead of replaying data: grid, services or telescopes.")
    public FleetKind fleet;

    @Option(names = {"--nodes", "--channels"}, paramLabel = "N", defaultValue = "10",
            description = "Fleet members: meters, services or telescope nodes, each with several channels (default: ${DEFAULT-VALUE}).")
    public int members;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the simulation's randomness (default: ${DEFAULT-VALUE}).")
    public long seed;

    @Option(names = "--anomaly-rate", paramLabel = "PER_HOUR", defaultValue = "1",
            description = "Injected anomalies (dropouts for telescopes) per member per simulated hour (default: ${DEFAULT-VALUE}).")
    public double anomalyRate;

    @Option(names = "--dropouts", paramLabel = "MIX", defaultValue = "flap=6,park=3,die=1", converter = DropoutMixConverter.class,
            description = "Relative weights of telescope dropout kinds (default: ${DEFAULT-VALUE}).")
    public DropoutMix dropouts;

    @Option(names = "--sample-period", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Sampling period of simulated channels (default: 1s grid, 10s services and telescopes).")
    public Duration samplePeriod;

    @Option(names = "--sag-depth", paramLabel = "FRACTION", defaultValue = "0.15",
            description = "Depth of grid voltage sags as a fraction of 230 V (default: ${DEFAULT-VALUE}).")
    public double sagDepth;

    @Option(names = "--sim-start", paramLabel = "INSTANT", converter = InstantConverter.class,
            description = "Simulated time at the start (default: now).")
    public Long start;
}
