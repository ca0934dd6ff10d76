package io.vigil.models.cli;

import io.vigil.models.data.ChannelData;
import io.vigil.models.training.MemoryBudget;
import io.vigil.models.training.ParallelTrainer;
import io.vigil.models.training.SchemeComparison;
import io.vigil.models.training.TrainingConfig;
import io.vigil.models.tuning.HyperParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one forecaster per channel; write each as <out>/<channel>.model.avro and print a summary table.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;
    @Mixin
    TrainingOptions training;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the trained models.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<ParallelTrainer.Outcome> outcomes = train(data.load(), data, training, out, spec);
        return outcomes.stream().allMatch(ParallelTrainer.Outcome::ok) ? 0 : 1;
    }

    /** Trains the loaded channels in parallel and prints the summary table; shared with train-and-release. */
    static List<ParallelTrainer.Outcome> train(List<ChannelData> channels, DataOptions data, TrainingOptions training,
            Path out, CommandSpec spec) {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channels to train in " + data.describe(0));
        }
        Function<ChannelData, TrainingConfig> configs = training.configs();
        TrainingConfig config = training.config();
        int workers = training.workers(channels.size());
        stderr.printf(Locale.ROOT, "training %s: scheme %s, %d parallel task(s) (%d cores, memory limit %d MiB, %d MiB per"
                        + " task)%n", data.describe(channels.size()), SchemeComparison.label(config), workers,
                Runtime.getRuntime().availableProcessors(), MemoryBudget.memoryLimitBytes() >> 20,
                training.perTaskBytes() >> 20);
        for (ChannelData c : channels) {
            for (String note : c.notes()) {
                stderr.println("note: " + c.channelId() + ": " + note);
            }
            TrainingConfig own = configs.apply(c);
            if (!own.origin().equals(config.origin())) {
                stderr.println("note: " + c.channelId() + ": " + own.origin() + ": " + HyperParameters.of(own).label());
            }
        }
        stderr.flush();
        List<ParallelTrainer.Outcome> outcomes = ParallelTrainer.trainAll(channels, configs, workers,
                new ParallelTrainer.Output(out, data.data.toString(), data.layout.name().toLowerCase(Locale.ROOT)),
                ModelsCli.progressLines(stderr));
        stdout.print(ParallelTrainer.summary(outcomes, workers, MemoryBudget.peakRssBytes()));
        stdout.flush();
        return outcomes;
    }
}
