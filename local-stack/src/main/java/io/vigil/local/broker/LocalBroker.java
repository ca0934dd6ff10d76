package io.vigil.local.broker;

import io.vigil.local.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) running in a JVM of its
 * own, for the local stack and for tests.
 *
 * <p>What it decides: the broker never shares the owner's JVM (its ~4,000 INFO lines, threads and heap
 * stay out), its output goes only to {@link Options#logFile()}, and its data directory is formatted once
 * and resumed on every later start. {@link #start} returns only when the broker answers
 * {@code describeCluster} with the cluster id of that data directory, so a different broker already
 * listening on the port is not mistaken for this one. Nothing global is registered (no shutdown hook):
 * the owner must {@link #close()} it.
 */
public final class LocalBroker implements AutoCloseable {

    /** How long {@link #start(Options)} waits for the broker to answer. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(LocalBroker.class);
    private static final String LOGBACK_RESOURCE = "broker-logback.xml";
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 30;

    /**
     * Where and how to run the broker. Ports 0 mean "pick a free port now" (as tests do); a data dir
     * that is already formatted is resumed, whatever ports this start uses.
     */
    public record Options(Path dataDir, int port, int controllerPort, Path logFile, String classpath,
                          String javaExecutable) {

        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(logFile, "logFile");
            Objects.requireNonNull(classpath, "classpath");
            Objects.requireNonNull(javaExecutable, "javaExecutable");
        }

        /** Ports 9092/9093, log in {@code dataDir/broker.log}, this JVM's classpath and java binary. */
        public static Options defaults(Path dataDir) {
            return new Options(dataDir, 9092, 9093, dataDir.resolve("broker.log"),
                    System.getProperty("java.class.path"), currentJava());
        }

        private static String currentJava() {
            return ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
    }

    private final Process process;
    private final String bootstrapServers;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final Path logFile;
    private final long startedNanos;
    private final boolean formatted;
    private volatile Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalBroker(Process process, int port, int controllerPort, String clusterId, Path logFile,
                        long startedNanos, boolean formatted) {
        this.process = process;
        this.bootstrapServers = "127.0.0.1:" + port;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.logFile = logFile;
        this.startedNanos = startedNanos;
        this.formatted = formatted;
    }

    /** Starts (formatting first if needed) and waits up to {@link #DEFAULT_START_TIMEOUT}. */
    public static LocalBroker start(Options options) {
        return start(options, DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts the broker and waits until it answers, up to {@code timeout}. Fails fast, with the end of
     * the broker log in the message, if the broker JVM exits meanwhile.
     */
    public static LocalBroker start(Options options, Duration timeout) {
        return start(options, null, timeout);
    }

    /**
     * Starts the broker with {@code secure} listeners beside its PLAINTEXT one (null: none) and waits
     * until it answers, up to {@code timeout}.
     */
    public static LocalBroker start(Options options, SecureListeners secure, Duration timeout) {
        long t0 = System.nanoTime();
        try {
            Path dataDir = options.dataDir().toAbsolutePath();
            int[] free = FreePorts.pick(2);
            int port = options.port() == 0 ? free[0] : options.port();
            int controllerPort = options.controllerPort() == 0 ? free[1] : options.controllerPort();
            Map<String, String> properties = ServerProperties.forSingleNode(dataDir.resolve("kafka-logs"), port,
                    controllerPort);
            if (secure != null) {
                secure.applyTo(properties);
            }
            // --standalone makes this node the single voter of a dynamic (KIP-853) quorum; 4.x refuses to
            // format a controller without it when only controller.quorum.bootstrap.servers is set.
            LocalBroker broker = launch(options, port, controllerPort, properties, Uuid.randomUuid().toString(),
                    List.of("--standalone"), t0);
            broker.awaitReady(t0 + timeout.toNanos());
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local Kafka broker", e);
        }
    }

    /**
     * Writes {@code properties} to {@code dataDir/server.properties}, formats the data dir if it is new
     * (with {@code newClusterId} and {@code formatFlags}), and starts the broker JVM without waiting for
     * it: the nodes of a cluster must all be running before any of them answers.
     */
    static LocalBroker launch(Options options, int port, int controllerPort, Map<String, String> properties,
                              String newClusterId, List<String> formatFlags, long t0)
            throws IOException, InterruptedException {
        Path dataDir = options.dataDir().toAbsolutePath();
        Path logDir = Path.of(properties.get("log.dirs"));
        Files.createDirectories(dataDir);
        Path logFile = options.logFile().toAbsolutePath();
        Files.createDirectories(logFile.getParent());
        Path config = dataDir.resolve("server.properties");
        ServerProperties.write(config, properties);
        Path logback = extractLogbackConfig(dataDir);

        Path metaProperties = logDir.resolve("meta.properties");
        boolean newDataDir = !Files.exists(metaProperties);
        if (newDataDir) {
            format(options, config, logback, logFile, newClusterId, formatFlags);
        }
        String clusterId = readClusterId(metaProperties);

        Process process = new ProcessBuilder(javaCommand(options, logback, "-Xmx512m",
                "kafka.Kafka", config.toString()))
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        process.getOutputStream().close();
        return new LocalBroker(process, port, controllerPort, clusterId, logFile, t0, newDataDir);
    }

    /**
     * Waits until the broker answers {@code describeCluster} with its data dir's cluster id; kills it
     * and throws, with the end of its log, if it exits or the deadline passes first.
     */
    void awaitReady(long deadlineNanos) throws InterruptedException {
        try {
            awaitReady(process, bootstrapServers, clusterId, logFile, deadlineNanos);
        } catch (RuntimeException | InterruptedException e) {
            kill(process);
            closed.set(true);
            throw e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - startedNanos);
        log.info("Kafka broker ready at {} in {} ms ({}, pid {}, log {})", bootstrapServers, startupTime.toMillis(),
                formatted ? "new data dir formatted" : "resumed its data dir", process.pid(), logFile);
    }

    /** {@code host:port} of the PLAINTEXT listener, for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Process id of the broker JVM. */
    public long pid() {
        return process.pid();
    }

    /** The PLAINTEXT (client) port. */
    public int port() {
        return port;
    }

    /** The CONTROLLER listener's port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id its data dir was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /** The file the broker JVM's output goes to. */
    public Path logFile() {
        return logFile;
    }

    /** Wall time from {@link #start} to the first answer, including the format of a new data dir. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Whether the broker JVM is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the broker with SIGTERM (its shutdown hook does a controlled shutdown and flushes the logs),
     * and kills it if it has not exited within 15 s. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Kafka broker pid {} did not stop within {} s; killing it", process.pid(),
                        STOP_GRACE.toSeconds());
                kill(process);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
        }
        log.info("Kafka broker pid {} stopped in {} ms", process.pid(), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Kills the broker JVM with SIGKILL ({@code kill -9}: no controlled shutdown, no log flush, as in a
     * crash) and waits until it is gone. The data dir stays, so a later start on the same data dir
     * recovers it. {@link #close()} afterwards does nothing.
     */
    public void kill() {
        closed.set(true);
        kill(process);
        log.info("Kafka broker pid {} killed (SIGKILL)", process.pid());
    }

    private static void format(Options options, Path config, Path logback, Path logFile, String clusterId,
                               List<String> flags) throws IOException, InterruptedException {
        // StorageTool ends with System.exit, so it gets a JVM of its own.
        List<String> args = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-t", clusterId));
        args.addAll(flags);
        args.addAll(List.of("-c", config.toString()));
        Process format = new ProcessBuilder(javaCommand(options, logback, "-Xmx256m", args.toArray(String[]::new)))
                .directory(config.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        format.getOutputStream().close();
        if (!format.waitFor(60, TimeUnit.SECONDS)) {
            kill(format);
            throw new IllegalStateException("kafka storage format did not finish in 60 s; see " + logFile);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + format.exitValue()
                    + "; end of " + logFile + ":\n" + LogTail.lastLines(logFile, LOG_TAIL_LINES));
        }
    }

    private static List<String> javaCommand(Options options, Path logback, String heap, String... mainAndArgs) {
        List<String> command = new ArrayList<>(List.of(options.javaExecutable(), heap,
                "-Dlogback.configurationFile=" + logback, "-cp", options.classpath()));
        command.addAll(List.of(mainAndArgs));
        return command;
    }

    private static void awaitReady(Process process, String bootstrap, String clusterId, Path logFile,
                                   long deadlineNanos) throws InterruptedException {
        Admin admin = null;
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
                            + " while starting; end of " + logFile + ":\n" + LogTail.lastLines(logFile, LOG_TAIL_LINES));
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException("Kafka broker at " + bootstrap + " did not answer in time; end of "
                            + logFile + ":\n" + LogTail.lastLines(logFile, LOG_TAIL_LINES));
                }
                // Until the port accepts, an Admin client would only log connection warnings to our terminal.
                if (admin == null && accepts(bootstrap)) {
                    admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
                }
                if (admin != null && answersWith(admin, clusterId)) {
                    return;
                }
                Thread.sleep(100);
            }
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }

    private static boolean answersWith(Admin admin, String clusterId) throws InterruptedException {
        try {
            String answered = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                    .clusterId().get(4, TimeUnit.SECONDS);
            if (!clusterId.equals(answered)) {
                throw new IllegalStateException("another Kafka cluster (" + answered + ") answers on "
                        + "this broker's port; expected cluster " + clusterId);
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static boolean accepts(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readClusterId(Path metaProperties) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            meta.load(in);
        }
        String id = meta.getProperty("cluster.id");
        if (id == null) {
            throw new IllegalStateException(metaProperties + " has no cluster.id");
        }
        return id;
    }

    /** Copies the broker's logback config out of our jar so the broker JVM needs no resource of ours. */
    private static Path extractLogbackConfig(Path dataDir) throws IOException {
        Path target = dataDir.resolve(LOGBACK_RESOURCE);
        try (InputStream in = LocalBroker.class.getClassLoader().getResourceAsStream(LOGBACK_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(LOGBACK_RESOURCE + " is missing from the classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
