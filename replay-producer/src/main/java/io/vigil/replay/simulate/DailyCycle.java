package io.vigil.replay.simulate;

/**
 * The daily load shape of the simulated services: {@code 0.5 + 0.4 sin(2 pi (hour - 8) / 24)} with the
 * hour of day in UTC (fractional), so load is average at 08:00 and 20:00, peaks (0.9) at 14:00 and
 * bottoms out (0.1) at 02:00.
 */
public final class DailyCycle {

    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private DailyCycle() {
    }

    public static double factor(long epochMillis) {
        double hour = Math.floorMod(epochMillis, 86_400_000L) / MILLIS_PER_HOUR;
        return 0.5 + 0.4 * Math.sin(2 * Math.PI * (hour - 8) / 24);
    }
}
