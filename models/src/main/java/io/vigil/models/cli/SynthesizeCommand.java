package io.vigil.models.cli;

import io.vigil.models.synthetic.CommandedTelemetry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "synthesize", mixinStandardHelpOptions = true,
        description = "Write a Telemanom-layout data set in which command inputs drive the value and the labeled"
                + " anomalies are commands the value does not follow (see docs/evaluation.md).")
final class SynthesizeCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Root of the data set to write.")
    Path out;

    @Option(names = "--channels", defaultValue = "4", description = "Channels (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--commands", defaultValue = "24",
            description = "Command flags per channel, columns 1.. (default ${DEFAULT-VALUE}, SMAP's width).")
    int commands;

    @Option(names = "--train-points", defaultValue = "2000", description = "Nominal training rows (default ${DEFAULT-VALUE}).")
    int trainPoints;

    @Option(names = "--test-points", defaultValue = "2500", description = "Test rows (default ${DEFAULT-VALUE}).")
    int testPoints;

    @Option(names = "--anomalies", defaultValue = "2", description = "Anomalies per channel (default ${DEFAULT-VALUE}).")
    int anomalies;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> ids = CommandedTelemetry.write(out, new CommandedTelemetry.Spec(channels, commands, trainPoints,
                testPoints, anomalies, seed));
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + ids.size() + " channel(s) of 1 value + " + commands + " command columns to " + out
                + ": " + String.join(", ", ids));
        w.flush();
        return 0;
    }
}
