package io.vigil.models.cli;

import io.vigil.models.registry.ModelRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Make the newest version below the current champion the champion again.")
final class RollbackCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CHANNEL")
    String channel;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ModelRegistry registry = ModelsCli.registry()) {
            RegistryCommands.print(spec.commandLine().getOut(), registry.rollback(channel));
            return 0;
        }
    }
}
