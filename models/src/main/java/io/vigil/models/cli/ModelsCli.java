package io.vigil.models.cli;

import io.vigil.avro.ModelRelease;
import io.vigil.config.ConnectionCheck;
import io.vigil.config.Settings;
import io.vigil.models.registry.ModelRegistry;
import io.vigil.models.registry.RegistrySettings;
import io.vigil.schemas.serde.AvroTrust;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code models}: train per-channel forecasters, evaluate them and release them through Kafka.
 *
 * <pre>
 * models train --layout nab --data /data/nab --out models/          # candidates: one file per channel
 * models release --models models/                                   # each becomes its channel's champion
 * models train-and-release --layout telemanom --data /data/smap     # both, as the training job runs it
 * models promote P-1 3                                              # version 3 of P-1 becomes champion
 * models rollback P-1                                               # the version before the champion does
 * models list [P-1]                                                 # champions, or one channel's versions
 * models compare --layout nab --data /data/nab -c machine_temperature_system_failure
 * models evaluate --layout nab --data /data/nab --models models/ --out eval/   # through the scorer topology
 * models synthesize --out /data/commanded                         # a Telemanom-layout set driven by commands
 * models tune --layout telemanom --data /data/smap --out tuning/ # per-subsystem settings, then train --tuned tuning/
 * </pre>
 *
 * Broker and schema registry come from {@link Settings}: {@code VIGIL_BOOTSTRAP_SERVERS},
 * {@code VIGIL_SCHEMA_REGISTRY_URL} (or {@code -Dvigil.bootstrap.servers=...}). Exit codes: 0 done, 1 some
 * channel failed, 2 bad usage or data, 3 Kafka or the registry unreachable, 4 refused (credentials, certificate,
 * ACL): {@link ConnectionCheck}.
 */
@Command(name = "models", mixinStandardHelpOptions = true, version = "vigil-models 0.1.0",
        description = "Train per-channel LSTM forecasters (Deeplearning4j), evaluate them and release them on the models topic.",
        subcommands = {TrainCommand.class, ReleaseCommand.class, TrainAndReleaseCommand.class, PromoteCommand.class,
                RollbackCommand.class, ListCommand.class, CompareCommand.class, EvaluateCommand.class, SynthesizeCommand.class, TuneCommand.class,
                CommandLine.HelpCommand.class})
public final class ModelsCli implements Runnable {

    /** The registry the settings of this process name. */
    static ModelRegistry registry() {
        Settings settings = Settings.fromSystem();
        RegistrySettings registry = settings(settings);
        settings.warnUnknownKeys();
        ConnectionCheck.run(registry.clients());
        return new ModelRegistry(registry);
    }

    /** The CLI's settings: the registry's, and the training shard count picocli reads from the environment. */
    public static RegistrySettings settings(Settings settings) {
        // Read by picocli as --shard-count's default (DataOptions).
        settings.declare("training.shards", "1");
        return RegistrySettings.from(settings);
    }

    /** True when running from {@link #main}: a live progress bar may then draw on the terminal. */
    static volatile boolean onConsole;

    /** Where a progress bar's lines go: null (a live bar) on a terminal, else {@code stderr}, a line at a time. */
    static Consumer<String> progressLines(PrintWriter stderr) {
        if (System.console() != null && onConsole) {
            return null;
        }
        return line -> {
            stderr.println(line);
            stderr.flush();
        };
    }

    public static void main(String[] args) {
        onConsole = true;
        // The topology jar brings a logback.xml of its own, so logback prints a status report about the
        // duplicate to stdout at start; the configuration it picks is the same, so keep the output clean.
        if (System.getProperty("logback.statusListenerClass") == null) {
            System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        }
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        nativeDefaults(err);
        // Training builds release records, whose enum defaults Avro resolves by class, before any decoder
        // has trusted the package: without -Dorg.apache.avro.SERIALIZABLE_PACKAGES every channel failed.
        AvroTrust.trustPackagesOf(ModelRelease.class, ModelRelease.getClassSchema());
        CommandLine cli = new CommandLine(new ModelsCli());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConnectionCheck.Failed failed) {
                commandLine.getErr().println("error: " + failed.getMessage());
                return failed.exitStatus();
            }
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /**
     * JavaCPP reads the process's RSS on every allocation unless these are 0 (docs/models.md); they must
     * be set before ND4J loads, which is why they are set here and not left to the caller. OpenMP's thread
     * count can only come from the environment.
     */
    private static void nativeDefaults(PrintStream err) {
        for (String p : new String[] {"org.bytedeco.javacpp.maxphysicalbytes", "org.bytedeco.javacpp.maxbytes"}) {
            if (System.getProperty(p) == null) {
                System.setProperty(p, "0");
            }
        }
        if (System.getenv("OMP_NUM_THREADS") == null) {
            err.println("note: OMP_NUM_THREADS is not set; set it to 1 (more OpenMP threads made training 1.7-3.5x slower)");
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
