package io.vigil.models.cli;

import io.vigil.models.data.ChannelData;
import io.vigil.models.training.SchemeComparison;
import io.vigil.models.training.Scheme;
import io.vigil.models.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train one channel with each scheme and print time, epochs and validation loss (docs/models.md).")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;
    @Mixin
    TrainingOptions training;

    @Option(names = "--schemes", split = ",", paramLabel = "S", defaultValue = "tbptt,windows",
            converter = TrainingOptions.SchemeConverter.class, description = "Schemes to run, in order (${DEFAULT-VALUE}).")
    List<Scheme> schemes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        training.refuseTuned("compare");
        List<ChannelData> channels = data.load();
        if (channels.size() != 1) {
            throw new IllegalArgumentException("compare trains exactly one channel; select it with --channel (got "
                    + channels.size() + ")");
        }
        List<TrainingConfig> configs = new ArrayList<>();
        for (Scheme s : schemes) {
            TrainingConfig c = training.config().withScheme(s);
            if (training.maxEpochs == null) {
                c = c.withMaxEpochs(TrainingConfig.of(s).maxEpochs());
            }
            configs.add(c);
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        List<SchemeComparison.Run> runs = SchemeComparison.compare(channels.get(0), configs, out);
        out.println("summary:");
        runs.forEach(r -> out.println("  " + SchemeComparison.describe(r)));
        out.flush();
        return 0;
    }
}
