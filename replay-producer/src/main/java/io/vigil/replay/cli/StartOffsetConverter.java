package io.vigil.replay.cli;

import io.vigil.replay.schedule.StartOffset;
import picocli.CommandLine.ITypeConverter;

/** {@link StartOffset#parse} for picocli. */
public final class StartOffsetConverter implements ITypeConverter<StartOffset> {
    @Override
    public StartOffset convert(String value) {
        return StartOffset.parse(value);
    }
}
