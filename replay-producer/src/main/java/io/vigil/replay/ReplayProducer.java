package io.vigil.replay;

import io.vigil.config.ClientSettings;
import io.vigil.config.ConnectionCheck;
import io.vigil.config.Secrets;
import io.vigil.config.Settings;
import io.vigil.replay.cli.PlaybackOptions;
import io.vigil.replay.cli.ReplaySourceOptions;
import io.vigil.replay.cli.SimulationOptions;
import io.vigil.replay.cli.SourceAssembly;
import io.vigil.replay.kafka.Failures;
import io.vigil.replay.kafka.KafkaPublisher;
import io.vigil.replay.kafka.ProducerSettings;
import io.vigil.replay.run.Pacer;
import io.vigil.replay.run.Progress;
import io.vigil.replay.run.RunLimits;
import io.vigil.replay.run.RunSummary;
import io.vigil.replay.run.Runner;
import io.vigil.replay.run.StopSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The replay producer's command: replays labeled data sets (CSV, NAB, Telemanom), series read from
 * Prometheus, or simulates a fleet
 * into Vigil's topics at a speed factor, publishing ground truth beside the data.
 *
 * <p>Decides what an operator sees and what the exit code says: a progress line every few seconds, a
 * summary at the end, and on failure one line on stderr. Broker and registry come from settings
 * ({@code VIGIL_BOOTSTRAP_SERVERS}, {@code VIGIL_SCHEMA_REGISTRY_URL}; bounded waits
 * {@code VIGIL_REPLAY_DELIVERY_TIMEOUT_MS}, {@code VIGIL_REPLAY_MAX_BLOCK_MS}); everything else from the
 * command line.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Replay labeled series (CSV, NAB, Telemanom) or Prometheus series, or simulate a fleet into Vigil's topics:",
                "points to vigil.telemetry, ground-truth windows to vigil.labels, heartbeats to vigil.heartbeats."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done (end of data, --duration, --limit or Ctrl-C)", "1:unreadable input data",
                "2:bad command line", "3:Kafka or the schema registry failed (after bounded retries)"})
public final class ReplayProducer implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 1;
    public static final int EXIT_INFRASTRUCTURE = ConnectionCheck.EXIT_UNREACHABLE;

    private static final Logger log = LoggerFactory.getLogger(ReplayProducer.class);

    @Mixin
    ReplaySourceOptions replay = new ReplaySourceOptions();

    @Mixin
    SimulationOptions simulation = new SimulationOptions();

    @Mixin
    PlaybackOptions playback = new PlaybackOptions();

    @Option(names = "--source", paramLabel = "TEXT",
            description = "Source recorded on every point and label (default: replay for CSV, nab, telemanom/<spacecraft>, sim/<fleet>).")
    String source;

    @Option(names = "--producer-config", paramLabel = "KEY=VALUE",
            description = "Kafka producer setting overriding Vigil's (e.g. batch.size=1048576); repeatable.")
    Map<String, String> producerConfig = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    private final Settings settings;

    public ReplayProducer() {
        this(Settings.fromSystem());
    }

    public ReplayProducer(Settings settings) {
        this.settings = settings;
    }

    /** The command line for this command, with its settings. */
    public static CommandLine commandLine(Settings settings) {
        return new CommandLine(new ReplayProducer(settings)).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine(Settings.fromSystem()).execute(args));
    }

    @Override
    public Integer call() {
        validate();
        PrintWriter err = spec.commandLine().getErr();
        ProducerSettings producer = ProducerSettings.from(settings, producerConfig);
        ClientSettings clients = producer.clients();
        String bootstrap = clients.bootstrapServers();
        String registry = Secrets.maskUrls(clients.registry().url());
        SourceAssembly.Assembled assembled;
        try {
            long now = System.currentTimeMillis();
            assembled = simulation.fleet != null ? SourceAssembly.simulation(simulation, playback, source, now)
                    : replay.prometheusLive ? SourceAssembly.prometheusLive(replay, playback, source, now)
                    : SourceAssembly.replay(replay, playback, source, now);
        } catch (IOException | IllegalArgumentException e) {
            err.println("replay: " + (e instanceof NoSuchFileException ? "no such file: " + e.getMessage() : e.getMessage()));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        assembled.warnings().forEach(w -> log.warn("{}", w));
        log.info("{} at speed {} to {}", assembled.description(), playback.speed > 0 ? playback.speed + "x" : "max", bootstrap);

        settings.warnUnknownKeys();
        try {
            ConnectionCheck.run(clients);
        } catch (ConnectionCheck.Failed e) {
            err.println("replay: " + e.getMessage());
            err.flush();
            return e.exitStatus();
        }
        StopSignal stop = new StopSignal();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.request();
            try {
                finished.await(20, TimeUnit.SECONDS); // let the run flush and print its summary
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (KafkaPublisher publisher = KafkaPublisher.connect(producer, clients.registry().serdeConfig())) {
            Progress progress = new Progress("replay", TimeUnit.SECONDS.toNanos(playback.progressSeconds));
            RunSummary summary = new Runner(assembled.source(), publisher, new Pacer(playback.speed),
                    new RunLimits(playback.limit, playback.duration), progress, stop).run();
            progress.summary(summary);
            if (summary.failure() != null) {
                err.println("replay: " + Failures.describe(summary.failure(), bootstrap, registry));
                err.flush();
                return EXIT_INFRASTRUCTURE;
            }
            return EXIT_OK;
        } catch (RuntimeException e) {
            if (!Failures.isInfrastructure(e)) {
                throw e;
            }
            err.println("replay: " + Failures.describe(e, bootstrap, registry));
            err.flush();
            return EXIT_INFRASTRUCTURE;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is what waits for us
            }
        }
    }

    /** Rejects combinations that would silently mean nothing. */
    private void validate() {
        CommandLine cl = spec.commandLine();
        boolean simulating = simulation.fleet != null;
        if (simulating == replay.any()) {
            throw new ParameterException(cl, simulating
                    ? "--simulate replaces FILE, --nab, --telemanom and --prometheus: give one or the other"
                    : "nothing to replay: give CSV FILEs, --nab DIR, --telemanom DIR, --prometheus URL or --simulate FLEET");
        }
        if (simulating && (playback.loop || playback.alignNow || playback.startOffset != null || replay.labels != null)) {
            throw new ParameterException(cl, "--loop, --align-now, --start-offset and --labels apply to replays, not to --simulate");
        }
        if (replay.labels != null && replay.files.isEmpty()) {
            throw new ParameterException(cl, "--labels belongs to CSV FILEs; NAB and Telemanom bring their own labels");
        }
        if (replay.nab == null && !(replay.nabGlobs.isEmpty() && replay.nabCategories.isEmpty())) {
            throw new ParameterException(cl, "--nab-select and --nab-category need --nab DIR");
        }
        if (replay.telemanom == null && !(replay.telemanomChannels.isEmpty() && replay.spacecraft.isEmpty())) {
            throw new ParameterException(cl, "--telemanom-channels and --spacecraft need --telemanom DIR");
        }
        if (replay.prometheus == null && (!replay.prometheusQueries.isEmpty() || replay.prometheusStart != null
                || replay.prometheusEnd != null || replay.prometheusStep != null || !replay.prometheusChannelLabels.isEmpty()
                || replay.prometheusLive)) {
            throw new ParameterException(cl, "--prometheus-query, -start, -end, -step, -channel-labels and -live need --prometheus URL");
        }
        if (playback.speed < 0 || Double.isNaN(playback.speed)) {
            throw new ParameterException(cl, "--speed must be >= 0 (0 = as fast as possible)");
        }
        if (playback.limit < 0 || playback.progressSeconds < 0) {
            throw new ParameterException(cl, "--limit and --progress-seconds cannot be negative");
        }
        if (playback.duration != null && (playback.duration.isNegative() || playback.duration.isZero())) {
            throw new ParameterException(cl, "--duration must be positive");
        }
    }
}
