package io.vigil.models.cli;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.data.ChannelData;
import io.vigil.models.training.Engine;
import io.vigil.models.training.MemoryBudget;
import io.vigil.models.training.ScalingRules;
import io.vigil.models.training.Scheme;
import io.vigil.models.training.TrainingConfig;
import io.vigil.models.tuning.TunedSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** How to train. */
final class TrainingOptions {

    @Option(names = "--scheme", paramLabel = "S", defaultValue = "tbptt", converter = SchemeConverter.class,
            description = "tbptt (default: parallel sub-sequences, truncated BPTT) or windows (Telemanom's sliding"
                    + " windows of l_s, much slower; see docs/models.md).")
    Scheme scheme;

    @Option(names = "--engine", paramLabel = "E", converter = EngineConverter.class,
            description = "tbptt: vigil (default: the project's own LSTM kernel) or dl4j (DL4J's fit, many times"
                    + " slower on a channel's batch of one; see docs/models.md). The windows scheme runs on dl4j.")
    Engine engine;

    @Option(names = "--max-epochs", paramLabel = "N",
            description = "Epoch budget (default: 200 for tbptt, Telemanom's 35 for windows); early stopping usually ends sooner.")
    Integer maxEpochs;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "10", description = "Early-stopping patience in epochs (${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--l-s", paramLabel = "N", defaultValue = "250",
            description = "l_s: window / tBPTT segment length and validation warm-up (${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(names = "--chunks", paramLabel = "K", defaultValue = "0",
            description = "tbptt: parallel sub-sequences (0 = one per 2,000 points, at most 16).")
    int chunks;

    @Option(names = "--units", paramLabel = "H", defaultValue = "80", description = "LSTM units per layer (${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--layers", paramLabel = "N", description = "LSTM layers (default: Telemanom's 2).")
    Integer layers;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Share of activations dropped after each LSTM layer (default: Telemanom's 0.3).")
    Double dropout;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam's learning rate (default: Telemanom's 1e-3).")
    Double learningRate;

    @Option(names = "--tuned", paramLabel = "DIR",
            description = "Train each channel of a subsystem `models tune` tuned with that subsystem's winning settings"
                    + " (DIR/<subsystem>/best.json), the others with the options above. The release records which.")
    Path tuned;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", paramLabel = "N",
            description = "Channels trained in parallel (default: from cores and memory, see --memory-per-task).")
    Integer workers;

    @Option(names = "--memory-per-task", paramLabel = "MiB",
            description = "Resident memory one training task needs, to size the pool (default: the measured "
                    + "192 MiB, see docs/models.md).")
    Long memoryPerTaskMiB;

    @Option(names = "--fixed-bounds", paramLabel = "PATTERN=MIN:MAX",
            description = "Scale channels matching PATTERN (* any characters but /, ** any characters) with MIN and MAX"
                    + " instead of their training series' own range, e.g. 'grid/*/voltage_v=200:260'; repeatable, the first"
                    + " match wins. The release records the bounds as fixed.")
    List<String> fixedBounds = new ArrayList<>();

    TrainingConfig config() {
        TrainingConfig c = TrainingConfig.of(scheme)
                .withPatience(patience)
                .withSequenceLength(sequenceLength)
                .withChunks(chunks)
                .withSeed(seed);
        if (engine != null) {
            c = c.withEngine(engine);
        }
        int shapeLayers = layers != null ? layers : c.architecture().getLayers();
        if (units != c.architecture().getUnits() || shapeLayers != c.architecture().getLayers()) {
            c = c.withArchitecture(LstmArchitecture.newBuilder(c.architecture()).setUnits(units).setLayers(shapeLayers)
                    .build());
        }
        if (dropout != null) {
            c = c.withDropout(dropout);
        }
        if (learningRate != null) {
            c = c.withLearningRate(learningRate);
        }
        if (!fixedBounds.isEmpty()) {
            c = c.withScaling(new ScalingRules(fixedBounds.stream().map(ScalingRules.Rule::parse).toList()));
        }
        return maxEpochs == null ? c : c.withMaxEpochs(maxEpochs);
    }

    /** Refuses {@code --tuned} for a command that trains from the options alone. */
    void refuseTuned(String command) {
        if (tuned != null) {
            throw new IllegalArgumentException("--tuned is for train and train-and-release; " + command
                    + " starts from the options");
        }
    }

    /** Each channel's config: {@link #config()}, with its subsystem's tuned settings under {@code --tuned}. */
    Function<ChannelData, TrainingConfig> configs() {
        TrainingConfig base = config();
        if (tuned == null) {
            return c -> base;
        }
        TunedSettings settings = TunedSettings.read(tuned);
        return c -> settings.configFor(c.channelId(), base);
    }

    int workers(int channels) {
        if (workers != null) {
            if (workers < 1) {
                throw new IllegalArgumentException("--workers must be at least 1");
            }
            return Math.min(workers, Math.max(1, channels));
        }
        return MemoryBudget.workers(perTaskBytes(), channels);
    }

    long perTaskBytes() {
        return memoryPerTaskMiB != null ? memoryPerTaskMiB << 20 : MemoryBudget.DEFAULT_PER_TASK_BYTES;
    }

    static final class EngineConverter implements picocli.CommandLine.ITypeConverter<Engine> {
        @Override
        public Engine convert(String value) {
            return Engine.parse(value);
        }
    }

    static final class SchemeConverter implements picocli.CommandLine.ITypeConverter<Scheme> {
        @Override
        public Scheme convert(String value) {
            return Scheme.parse(value);
        }
    }
}
