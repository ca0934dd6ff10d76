package io.vigil.models.cli;

import io.vigil.avro.ModelRelease;
import io.vigil.models.data.ChannelData;
import io.vigil.models.registry.ModelRegistry;
import io.vigil.models.training.CandidateFiles;
import io.vigil.models.training.ParallelTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train-and-release", mixinStandardHelpOptions = true,
        description = "Train the channels of a data set (or of this shard) and release every one that trained.")
final class TrainAndReleaseCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;
    @Mixin
    TrainingOptions training;

    @Option(names = "--out", paramLabel = "DIR", description = "Where trained models are kept (default: a temporary directory).")
    Path out;

    @Option(names = "--evaluate", paramLabel = "DIR",
            description = "Before releasing, evaluate the trained models on the data set's test series (lstm, baseline"
                    + " and rcf through the same harness as the evaluate command) and write the report to DIR.")
    Path evaluate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = out != null ? out : Files.createTempDirectory("vigil-models-");
        // Connect first: a broker that cannot be reached should fail the job before hours of training.
        try (ModelRegistry registry = ModelsCli.registry()) {
            registry.ensureTopics();
            List<ChannelData> channels = data.load();
            List<ParallelTrainer.Outcome> outcomes = TrainCommand.train(channels, data, training, dir, spec);
            List<String> trained = outcomes.stream().filter(ParallelTrainer.Outcome::ok).map(ParallelTrainer.Outcome::channelId).toList();
            boolean evaluated = evaluate == null || trained.isEmpty() || evaluate(channels, dir, trained);
            int released = trained.isEmpty() ? 1
                    : RegistryCommands.releaseAll(registry, dir, trained, spec.commandLine().getOut(), spec.commandLine().getErr());
            return released == 0 && evaluated && trained.size() == outcomes.size() ? 0 : 1;
        }
    }

    /**
     * Evaluates the fresh models on every loaded channel (those that did not train are reported as not
     * run). The report is a by-product: if it fails, the models are still released and the exit code
     * says so.
     */
    private boolean evaluate(List<ChannelData> channels, Path dir, List<String> trained) {
        Map<String, ModelRelease> models = new HashMap<>();
        CandidateFiles.readAll(dir).stream().filter(m -> trained.contains(m.getChannelId()))
                .forEach(m -> models.put(m.getChannelId(), m));
        try {
            EvaluateCommand.run(channels, models, List.of("lstm", "baseline", "rcf"), training.workers(channels.size()),
                    training.seed, evaluate, data.describe(channels.size()), spec);
            return true;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("evaluation FAILED, releasing anyway: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return false;
        }
    }
}
