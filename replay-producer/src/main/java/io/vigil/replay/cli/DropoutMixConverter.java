package io.vigil.replay.cli;

import io.vigil.replay.simulate.DropoutMix;
import picocli.CommandLine.ITypeConverter;

/** {@link DropoutMix#parse} for picocli. */
public final class DropoutMixConverter implements ITypeConverter<DropoutMix> {
    @Override
    public DropoutMix convert(String value) {
        return DropoutMix.parse(value);
    }
}
