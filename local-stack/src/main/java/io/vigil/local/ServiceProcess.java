package io.vigil.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the local stack's JVMs: started from a module's build output with its output in a log file,
 * stopped with SIGTERM so its shutdown hooks run, or killed with SIGKILL as a crash would (fault tests).
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final Path logFile;

    private ServiceProcess(String name, Process process, long startedNanos, Path logFile) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.logFile = logFile;
    }

    /**
     * Starts {@code mainClass} of {@code module} (its {@code target/classes} plus the runtime classpath
     * its build wrote) with the given JVM options, environment and arguments.
     */
    public static ServiceProcess start(String name, Path repo, String module, String mainClass, List<String> jvmOptions,
                                Map<String, String> environment, List<String> args, Path logDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath(repo, module));
        command.add(mainClass);
        command.addAll(args);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The owner decides each service's settings: VIGIL_* variables this JVM was started with (the
        // local stack's own, say) would otherwise reach every child and be warned about as unknown there.
        builder.environment().keySet().removeIf(variable -> variable.startsWith("VIGIL_"));
        builder.environment().putAll(environment);
        return new ServiceProcess(name, builder.start(), System.nanoTime(), log);
    }

    /** The runtime classpath of a module as its build left it. */
    public static String classpath(Path repo, String module) throws IOException {
        Path target = repo.resolve(module).resolve("target");
        Path listed = target.resolve("runtime-classpath.txt");
        if (!Files.exists(listed)) {
            throw new IllegalStateException(listed + " is missing: build first with 'mvn -DskipTests package'");
        }
        return target.resolve("classes") + java.io.File.pathSeparator + Files.readString(listed).trim();
    }

    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only once the process is no longer alive. */
    public int exitValue() {
        return process.exitValue();
    }

    public long startedNanos() {
        return startedNanos;
    }

    public Path logFile() {
        return logFile;
    }

    /** What the process printed so far, headed by its name, for a failure message. */
    public String logText() {
        try {
            return "\n--- " + name + " ---\n" + Files.readString(logFile);
        } catch (IOException e) {
            return "(no log of " + name + ": " + e + ")";
        }
    }

    /**
     * Waits for the process to exit and returns its exit code.
     *
     * @throws IllegalStateException if it is still running after {@code timeout}: it is then killed, and
     *     the message carries its log
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException(name + " still running after " + timeout + logText());
        }
        return process.exitValue();
    }

    /**
     * Kills the process with SIGKILL ({@code kill -9}: no shutdown hook runs) and waits up to 10 s until
     * it is gone; returns whether it is.
     */
    public boolean kill() {
        process.destroyForcibly();
        try {
            return process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Stops the process with SIGTERM so its shutdown hooks run, waiting up to 15 s (then SIGKILL). Does
     * nothing if it has already exited.
     */
    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    /**
     * SIGTERM, then waits up to {@code grace} for the process to exit; if it does not, SIGKILL. Returns
     * whether it exited by itself (true also if it had exited before).
     */
    public boolean stop(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
