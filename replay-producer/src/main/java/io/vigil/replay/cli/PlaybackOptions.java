package io.vigil.replay.cli;

import io.vigil.replay.schedule.StartOffset;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How fast, from where and for how long to play. */
public final class PlaybackOptions {

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "1",
            description = "Speed factor: event time per wall time; 1 = real time, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    public double speed;

    @Option(names = "--loop", description = "Replay each series again when it ends, on its own laps (its span plus its first step), its points' and labels' times shifted on, so a short series stays live beside a long one.")
    public boolean loop;

    @Option(names = "--align-now", description = "Shift every replayed series so its first replayed point is now.")
    public boolean alignNow;

    @Option(names = "--start-offset", paramLabel = "N|DURATION", converter = StartOffsetConverter.class,
            description = "Skip each series' first N points, or its first DURATION of data (e.g. 2d).")
    public StartOffset startOffset;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop once this much event time has been played (e.g. 6h); default: until the data ends or Ctrl-C.")
    public Duration duration;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Stop after N points; 0 = no limit.")
    public long limit;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "5",
            description = "Seconds between progress lines; 0 = none (default: ${DEFAULT-VALUE}).")
    public int progressSeconds;
}
