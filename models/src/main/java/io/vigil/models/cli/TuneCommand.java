package io.vigil.models.cli;

import io.vigil.models.data.ChannelData;
import io.vigil.models.training.ChannelTrainer;
import io.vigil.models.training.MemoryBudget;
import io.vigil.models.training.SchemeComparison;
import io.vigil.models.training.TrainingConfig;
import io.vigil.models.tuning.SearchSpace;
import io.vigil.models.tuning.Subsystems;
import io.vigil.models.tuning.Tuner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Tune hyper-parameters per subsystem with asynchronous successive halving, judged by validation"
                + " loss on the nominal training series; write DIR/<subsystem>/best.json for `train --tuned DIR`.",
                "Resumable: run it again on the same --out and only unfinished jobs train. Shards (--shard-index,"
                        + " --shard-count) deal out subsystems, not channels."})
final class TuneCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;
    @Mixin
    TrainingOptions training;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Tuning directory: journals and winners.")
    Path out;

    @Option(names = "--subsystem-pattern", paramLabel = "REGEX", defaultValue = Subsystems.TELEMANOM_PREFIX,
            description = "A channel's subsystem: the first group of REGEX found in its id, or the whole match"
                    + " (default ${DEFAULT-VALUE}: Telemanom's A-1, A-7 are subsystem A); unmatched ids are their own.")
    String subsystemPattern;

    @Option(names = {"--subsystem", "-s"}, paramLabel = "NAME", split = ",",
            description = "Only these subsystems (repeatable or comma-separated).")
    List<String> only = new ArrayList<>();

    @Option(names = "--trials", paramLabel = "N", defaultValue = "12",
            description = "Trials per subsystem; trial 0 is the base settings (${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--eta", paramLabel = "N", defaultValue = "3",
            description = "The best 1/N of a rung move up; each rung's budget is N times the last (${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--rungs", paramLabel = "N", defaultValue = "3",
            description = "Budgets: --min-epochs x eta^r below the top, --max-epochs with early stopping on the top"
                    + " (${DEFAULT-VALUE}).")
    int rungs;

    @Option(names = "--min-epochs", paramLabel = "N", defaultValue = "10", description = "Rung 0's budget (${DEFAULT-VALUE}).")
    int minEpochs;

    @Option(names = "--channels-per-trial", paramLabel = "N", defaultValue = "3",
            description = "Channels each trial trains, the same for all, spread over the subsystem (${DEFAULT-VALUE}).")
    int channelsPerTrial;

    @Option(names = "--space", paramLabel = "NAME=V1,V2",
            description = "Replace one parameter's values: units, layers, dropout, lr, l_s or chunks (0 = auto);"
                    + " repeatable. The space is printed when tuning starts.")
    List<String> space = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        training.refuseTuned("tune");
        SearchSpace searchSpace = SearchSpace.DEFAULT;
        for (String s : space) {
            searchSpace = searchSpace.with(s);
        }
        Subsystems subsystems = Subsystems.matching(subsystemPattern);
        Tuner.Plan plan = new Tuner.Plan(trials, eta, rungs, minEpochs, channelsPerTrial, searchSpace, subsystems);
        TrainingConfig base = training.config();
        int[] budgets = plan.budgets(base);
        Map<String, List<ChannelData>> groups = subsystems.group(data.loadAll());
        if (!only.isEmpty()) {
            groups.keySet().retainAll(only);
        }
        List<String> mine = data.shard(new ArrayList<>(groups.keySet()));
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("no subsystem to tune in " + data.describe(0)
                    + (only.isEmpty() ? "" : " named " + only));
        }
        int workers = training.workers(trials);
        stderr.printf(Locale.ROOT, "tuning %d subsystem(s) %s of %s: %s, %d trials, eta %d, rung budgets %s epochs, %d"
                        + " parallel job(s) (%d cores, memory limit %d MiB)%nsearch space: %s (%d settings)%n",
                mine.size(), mine, data.describe(groups.values().stream().mapToInt(List::size).sum()),
                SchemeComparison.label(base), trials, eta, java.util.Arrays.toString(budgets), workers,
                Runtime.getRuntime().availableProcessors(), MemoryBudget.memoryLimitBytes() >> 20, searchSpace.describe(),
                searchSpace.size());
        stderr.flush();
        boolean allTuned = true;
        for (String subsystem : mine) {
            Tuner.Outcome o = Tuner.tune(subsystem, groups.get(subsystem), base, plan, workers, out, ChannelTrainer::train,
                    ModelsCli.progressLines(stderr), note -> stderr.println("note: " + note));
            stdout.print(Tuner.summary(o));
            stdout.println();
            stdout.flush();
            allTuned &= o.best().isPresent();
        }
        return allTuned ? 0 : 1;
    }
}
