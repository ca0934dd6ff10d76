package io.vigil.models.cli;

import io.vigil.models.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release trained models: each becomes its channel's next version and champion.")
final class ReleaseCommand implements Callable<Integer> {

    @Option(names = "--models", required = true, paramLabel = "DIR", description = "Directory written by train.")
    Path models;

    @Option(names = {"--channel", "-c"}, paramLabel = "ID", split = ",", description = "Only these channels.")
    List<String> channels = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        try (ModelRegistry registry = ModelsCli.registry()) {
            return RegistryCommands.releaseAll(registry, models, channels, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }
}
