package io.vigil.replay.cli;

import io.vigil.datasets.Timestamps;
import picocli.CommandLine.ITypeConverter;

/** {@code now}, or a timestamp as {@link Timestamps} reads it, as epoch milliseconds. */
public final class InstantConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return value.trim().equalsIgnoreCase("now") ? System.currentTimeMillis() : Timestamps.parse(value);
    }
}
