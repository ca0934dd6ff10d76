package io.vigil.models.cli;

import io.vigil.avro.ModelRelease;
import io.vigil.models.data.ChannelData;
import io.vigil.models.evaluation.Detectors;
import io.vigil.models.evaluation.Evaluation;
import io.vigil.models.evaluation.EvaluationReport;
import io.vigil.models.training.CandidateFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Replay a labeled data set through the scorer topology (and Random Cut Forest) and report"
                + " event-wise precision, recall, F0.5, ESA-ADB's corrected F0.5 and point-wise F1, per channel and"
                + " for the fleet: <out>/evaluation.json, <out>/report.md, <out>/plots/.")
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--models", paramLabel = "DIR", description = "Trained models (from train); needed by lstm and lstm-half.")
    Path models;

    @Option(names = "--detectors", paramLabel = "NAME", split = ",",
            description = "Any of lstm, lstm-half (16-bit weights), baseline, rcf (default: lstm,baseline,rcf with"
                    + " --models, else baseline,rcf).")
    List<String> detectors = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the report goes.")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Channels evaluated in parallel (default: cores).")
    Integer workers;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random Cut Forest's seed (${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<ChannelData> channels = data.load();
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channels to evaluate in " + data.describe(0));
        }
        Map<String, ModelRelease> trained = new HashMap<>();
        if (models != null) {
            CandidateFiles.readAll(models).forEach(m -> trained.put(m.getChannelId(), m));
        }
        List<String> names = !detectors.isEmpty() ? detectors
                : models != null ? List.of("lstm", "baseline", "rcf") : List.of("baseline", "rcf");
        if (models == null && names.stream().anyMatch(n -> n.startsWith("lstm"))) {
            throw new IllegalArgumentException("detectors " + names + " need --models");
        }
        run(channels, trained, names, workers == null ? Runtime.getRuntime().availableProcessors() : workers, seed, out,
                data.describe(channels.size()), spec);
        return 0;
    }

    /** Evaluates and writes the report; shared with train-and-release. */
    static Evaluation.Result run(List<ChannelData> channels, Map<String, ModelRelease> trained, List<String> names,
            int workers, long seed, Path out, String what, CommandSpec spec) {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        stderr.printf("evaluating %s with %s, %d in parallel%n", what, names, workers);
        stderr.flush();
        Evaluation.Result result = Evaluation.run(channels, trained, Detectors.named(names, seed), workers, line -> {
            synchronized (stderr) {
                stderr.println(line);
                stderr.flush();
            }
        });
        Path report = EvaluationReport.write(out, result, "Evaluation of " + what);
        stdout.print(EvaluationReport.fleetTable(result));
        stdout.println("report: " + report + " (JSON: " + out.resolve("evaluation.json") + ")");
        stdout.flush();
        return result;
    }
}
