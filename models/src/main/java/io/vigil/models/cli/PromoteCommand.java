package io.vigil.models.cli;

import io.vigil.models.registry.ModelRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Make an archived version of a channel its champion (what the scorer uses).")
final class PromoteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CHANNEL")
    String channel;

    @Parameters(index = "1", paramLabel = "VERSION")
    int version;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ModelRegistry registry = ModelsCli.registry()) {
            RegistryCommands.print(spec.commandLine().getOut(), registry.promote(channel, version));
            return 0;
        }
    }
}
