package io.vigil.replay.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** {@link Durations#parse} for picocli. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
