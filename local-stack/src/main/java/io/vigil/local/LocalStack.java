package io.vigil.local;

import io.vigil.config.Settings;
import io.vigil.local.broker.LocalBroker;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;

/**
 * The README's first command: the whole of Vigil on one machine with real parts. Starts, in order,
 * a KRaft Kafka broker, the schema registry, the topics, the scorer topology, the SSE bridge, the
 * replay producer (demo series with their labels) and a simulated telescope fleet sending heartbeats,
 * each in its own JVM with its log under {@code .vigil-local/logs}; waits until the
 * first score reaches the dashboard; prints each process's start-up time and memory; then trains an
 * LSTM model for every replayed channel in the background and releases it through the model registry,
 * so the dashboard shows the scorer switching from the baseline to the models live. On Ctrl-C it stops
 * everything in reverse order. Every run starts clean: the working directory is wiped first.
 */
public final class LocalStack implements AutoCloseable {

    private static final PrintStream out = System.out;
    /** How far the replays may run ahead of the wall clock before the scorer refuses their points. */
    static final Duration REPLAY_LEAD = Duration.ofDays(36_525);

    private final LocalStackConfig config;
    private final Path logDir;
    private LocalBroker broker;
    private final List<ServiceProcess> services = new ArrayList<>();
    /** Services that finish by themselves (the trainer): their exit is reported, not fatal. */
    private final List<ServiceProcess> jobs = new ArrayList<>();
    private final long started = System.nanoTime();
    private boolean closed;
    /** Ctrl-C, SIGTERM, or a test fork killed on timeout: no JVM of the stack outlives this one. */
    private final Thread orphanGuard = new Thread(() -> {
        out.println("\nvigil: stopping...");
        close();
        out.println("vigil: stopped");
    }, "local-stack-shutdown");
    private final Map<String, Double> readySeconds = new java.util.concurrent.ConcurrentHashMap<>();

    LocalStack(LocalStackConfig config) {
        this.config = config;
        this.logDir = config.workDir().resolve("logs");
    }

    public static void main(String[] args) throws Exception {
        LocalStack stack = new LocalStack(LocalStackConfig.from(Settings.fromSystem()));
        try {
            stack.start();
        } catch (Exception e) {
            out.println("vigil: failed: " + e.getMessage());
            System.exit(1);
        }
        stack.watch();
    }

    void start() throws Exception {
        Runtime.getRuntime().addShutdownHook(orphanGuard);
        checkPortsFree();
        wipe(config.workDir());
        Files.createDirectories(logDir);

        step("broker", () -> {
            long t0 = System.nanoTime();
            broker = LocalBroker.start(new LocalBroker.Options(
                    config.workDir().resolve("kafka"), config.brokerPort(), config.controllerPort(),
                    logDir.resolve("broker.log"), ServiceProcess.classpath(config.repo(), "local-stack"),
                    ServiceProcess.javaExecutable()));
            readySeconds.put("broker", seconds(t0));
        });

        step("topics", () -> {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
                new TopicProvisioner(admin).ensure(Topics.all(), config.partitions(), (short) 1, Duration.ofSeconds(30));
            }
        });

        ServiceProcess registry = launch("registry", "local-stack", "io.vigil.local.registry.LocalSchemaRegistry",
                List.of("-Xmx128m"), Map.of("VIGIL_REGISTRY_PORT", Integer.toString(config.registryPort())), List.of());
        step("registry", () -> await("registry", registry,
                () -> httpOk(config.registryUrl() + "/subjects"), Duration.ofSeconds(60)));

        ServiceProcess scorer = launch("scorer", "topology", "io.vigil.topology.ScorerApp",
                // The LSTM hot path uses the incubating Vector API when the module is present.
                List.of("-Xmx768m", "--add-modules", "jdk.incubator.vector"),
                Map.of("VIGIL_STATE_DIR", config.workDir().resolve("streams").toString(),
                        "VIGIL_METRICS_PORT", Integer.toString(config.scorerMetricsPort()),
                        // Everything here is replayed faster than real time: silence is judged in data time.
                        "VIGIL_LIVENESS_TIME_MODE", "stream-time",
                        // and runs ahead of the clock (a day at 6,000x is 16 years): a century of lead is allowed.
                        "VIGIL_TIME_MAX_AHEAD_MS", Long.toString(REPLAY_LEAD.toMillis())),
                List.of());
        // HTTP ingest on: the bridge listens on loopback only, so no token is needed to try it.
        ServiceProcess bridge = launch("bridge", "sse-bridge", "io.vigil.bridge.SseBridge", List.of("-Xmx256m"),
                Map.of("VIGIL_BRIDGE_PORT", Integer.toString(config.bridgePort()), "VIGIL_BRIDGE_INGEST_ENABLED", "true"),
                List.of());
        if (config.alertmanagerUrl() != null) {
            launch("notifier", "notifier", "io.vigil.notifier.Notifier", List.of("-Xmx128m"), Map.of(
                    "VIGIL_NOTIFIER_RECEIVERS", "alertmanager",
                    "VIGIL_NOTIFIER_RECEIVER_ALERTMANAGER_FORMAT", "alertmanager",
                    "VIGIL_NOTIFIER_RECEIVER_ALERTMANAGER_URL", config.alertmanagerUrl()), List.of());
        }
        step("scorer", () -> await("scorer", scorer, this::scorerGroupStable, Duration.ofSeconds(90)));
        step("bridge", () -> await("bridge", bridge,
                () -> httpBodyContains(config.bridgeUrl() + "/health", "ready"), Duration.ofSeconds(60)));

        List<String> replayArgs = new ArrayList<>(List.of("--speed", Double.toString(config.replaySpeed()),
                "--loop", "--align-now", "--source", "nab-demo"));
        if (config.replayLabels() != null) {
            replayArgs.addAll(List.of("--labels", config.replayLabels().toString()));
        }
        config.replayFiles().forEach(f -> replayArgs.add(f.toString()));
        ServiceProcess replay = launch("replay", "replay-producer", "io.vigil.replay.ReplayProducer", List.of("-Xmx256m"),
                Map.of(), replayArgs);
        if (config.fleetNodes() > 0) {
            launch("fleet", "replay-producer", "io.vigil.replay.ReplayProducer", List.of("-Xmx256m"), Map.of(),
                    List.of("--simulate", "telescopes", "--nodes", Integer.toString(config.fleetNodes()),
                            "--speed", Double.toString(config.fleetSpeed()), "--seed", "7",
                            "--source", "simulated-telescopes"));
        }
        step("first score on the dashboard", () -> awaitFirstEvent(replay));

        out.printf("%nvigil: up in %.1f s. Dashboard: %s  (logs in %s; Ctrl-C stops everything)%n",
                seconds(started), config.bridgeUrl(), logDir);
        printProcessTable();
        if (config.trainEpochs() > 0) {
            launchTrainer();
        }
    }

    /**
     * Trains one LSTM per replayed channel on its first 15 % (at most {@code trainEpochs} epochs, one
     * channel at a time so the scorer keeps a core), optionally evaluates them, and releases them as
     * champions: the scorer picks each up from that channel's next point.
     */
    private void launchTrainer() throws IOException {
        Path dir = config.replayFiles().get(0).toAbsolutePath().getParent();
        if (config.replayFiles().stream().anyMatch(f -> !f.toAbsolutePath().getParent().equals(dir))) {
            out.println("vigil: no model training: the replayed files are not in one directory");
            return;
        }
        List<String> args = new ArrayList<>(List.of("train-and-release", "--layout", "csv", "--data", dir.toString(),
                "--workers", "1", "--max-epochs", Integer.toString(config.trainEpochs()),
                "--out", config.workDir().resolve("models").toString()));
        for (Path f : config.replayFiles()) {
            args.addAll(List.of("-c", f.getFileName().toString().replaceFirst("\\.csv$", "")));
        }
        if (config.replayLabels() != null) {
            args.addAll(List.of("--labels", config.replayLabels().toString()));
        }
        if (config.trainEvaluate()) {
            args.addAll(List.of("--evaluate", config.workDir().resolve("evaluation").toString()));
        }
        ServiceProcess trainer = launch("trainer", "models", "io.vigil.models.cli.ModelsCli",
                List.of("-Xmx1g", "--add-modules", "jdk.incubator.vector"),
                // More OpenMP threads made DL4J slower here (docs/models.md), and the scorer needs a core.
                Map.of("OMP_NUM_THREADS", "1"), args);
        synchronized (this) {
            jobs.add(trainer);
        }
        out.printf("vigil: training LSTM models for %d channel(s) in the background (%s); each channel switches"
                + " from the baseline to its model when it is released%n", config.replayFiles().size(), trainer.logFile());
    }

    /** Process ids of everything this stack started, broker first. */
    synchronized List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (broker != null) {
            pids.add(broker.pid());
        }
        services.forEach(s -> pids.add(s.pid()));
        return pids;
    }

    /** Blocks while every service runs; reports the first one that dies. */
    void watch() throws InterruptedException {
        while (true) {
            ServiceProcess died = reapFinishedJobs();
            if (died != null) {
                // Outside the lock: exiting runs the shutdown hook, which takes it to close the stack.
                out.printf("vigil: %s exited; see %s%n", died.name(), died.logFile());
                System.exit(1);
            }
            Thread.sleep(1000);
        }
    }

    /** Reports and forgets finished jobs; returns a service that died, if any. */
    private synchronized ServiceProcess reapFinishedJobs() {
        for (ServiceProcess s : List.copyOf(services)) {
            if (s.isAlive()) {
                continue;
            }
            if (!jobs.remove(s)) {
                return s;
            }
            services.remove(s);
            out.println(s.exitValue() == 0
                    ? "vigil: " + s.name() + " done: models released" + (config.trainEvaluate()
                            ? "; evaluation in " + config.workDir().resolve("evaluation/report.md") : "")
                    : "vigil: " + s.name() + " failed (exit " + s.exitValue() + "); channels without a model stay on"
                            + " the baseline; see " + s.logFile());
        }
        return null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (Thread.currentThread() != orphanGuard) {
            try {
                Runtime.getRuntime().removeShutdownHook(orphanGuard);
            } catch (IllegalStateException shuttingDown) {
                // the guard runs anyway and finds nothing left to stop
            }
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        services.clear();
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Starts a service; under the lock, so a stop that runs during start-up cannot miss it. */
    private synchronized ServiceProcess launch(String name, String module, String mainClass, List<String> jvmOptions,
                                  Map<String, String> extraEnv, List<String> args) throws IOException {
        if (closed) {
            throw new IllegalStateException("stopping: " + name + " not started");
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "VIGIL_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                "VIGIL_SCHEMA_REGISTRY_URL", config.registryUrl()));
        env.putAll(extraEnv);
        ServiceProcess p = ServiceProcess.start(name, config.repo(), module, mainClass,
                java.util.stream.Stream.concat(jvmOptions.stream(), Stream.of(
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro",
                        "-Dorg.jboss.logging.provider=slf4j")).toList(),
                env, args, logDir);
        services.add(p);
        return p;
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String what, Step step) throws Exception {
        long t0 = System.nanoTime();
        out.printf("vigil: %-30s", what + " ...");
        out.flush();
        step.run();
        out.printf(" ready in %5.1f s%n", seconds(t0));
    }

    private void await(String name, ServiceProcess process, BooleanSupplier ready, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + process.logFile());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + timeout + "; see " + process.logFile());
            }
            Thread.sleep(250);
        }
        readySeconds.put(name, seconds(process.startedNanos()));
    }

    private boolean scorerGroupStable() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
            var group = admin.describeConsumerGroups(List.of("vigil-scorer")).all().get().get("vigil-scorer");
            return group.groupState() == GroupState.STABLE && !group.members().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Waits for the first SSE event on the bridge: a replayed point has crossed the whole pipeline. */
    private void awaitFirstEvent(ServiceProcess replay) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.bridgeUrl() + "/events?type=score"))
                .timeout(Duration.ofSeconds(120)).build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    return;
                }
                if (!replay.isAlive()) {
                    throw new IllegalStateException("replay exited; see " + replay.logFile());
                }
            }
        }
        throw new IllegalStateException("the bridge closed the event stream before the first score");
    }

    /** Start-up time (launch to ready) and resident memory of every process. */
    private void printProcessTable() {
        out.println("  process   pid       ready after     RSS");
        printRow("broker", broker.pid());
        for (ServiceProcess s : services) {
            printRow(s.name(), s.pid());
        }
    }

    private void printRow(String name, long pid) {
        Double ready = readySeconds.get(name);
        out.printf("  %-9s %-9d %9s   %5d MiB%n", name, pid, ready == null ? "-" : String.format("%.1f s", ready),
                ProcessStats.residentMiB(pid));
    }

    private void checkPortsFree() {
        for (int port : List.of(config.brokerPort(), config.controllerPort(), config.registryPort(),
                config.bridgePort(), config.scorerMetricsPort())) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " is in use; is another Vigil running? "
                        + "(ports are set with VIGIL_LOCAL_*_PORT)");
            }
        }
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean httpOk(String url) {
        return httpGet(url) != null;
    }

    private static boolean httpBodyContains(String url, String text) {
        String body = httpGet(url);
        return body != null && body.contains(text);
    }

    private static String httpGet(String url) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
