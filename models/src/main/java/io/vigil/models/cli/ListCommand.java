package io.vigil.models.cli;

import io.vigil.avro.ModelRelease;
import io.vigil.models.registry.ModelRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Without a channel: every channel's champion (the models topic). With one: all its versions.")
final class ListCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CHANNEL")
    String channel;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelRegistry registry = ModelsCli.registry()) {
            out.println(RegistryCommands.header());
            if (channel == null) {
                Map<String, ModelRelease> champions = registry.champions();
                champions.values().forEach(r -> out.println(RegistryCommands.line(r, true)));
                out.println(champions.size() + " channel(s) with a champion");
            } else {
                List<ModelRelease> history = registry.history(channel);
                Optional<ModelRelease> champion = registry.champion(channel);
                int championVersion = champion.map(ModelRelease::getVersion).orElse(-1);
                history.forEach(r -> out.println(RegistryCommands.line(r, r.getVersion() == championVersion)));
                out.println(history.size() + " version(s)" + champion.map(c -> ", champion " + c.getVersion()).orElse(", no champion"));
            }
            out.flush();
            return 0;
        }
    }
}
