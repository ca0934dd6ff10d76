package io.vigil.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the local stack's JVMs: started from a module's build output with its output in a log file,
 * stopped with SIGTERM so its shutdown hooks run.
 */
final class ServiceProcess implements AutoCloseable {

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
    static ServiceProcess start(String name, Path repo, String module, String mainClass, List<String> jvmOptions,
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
        builder.environment().putAll(environment);
        return new ServiceProcess(name, builder.start(), System.nanoTime(), log);
    }

    /** The runtime classpath of a module as its build left it. */
    static String classpath(Path repo, String module) throws IOException {
        Path target = repo.resolve(module).resolve("target");
        Path listed = target.resolve("runtime-classpath.txt");
        if (!Files.exists(listed)) {
            throw new IllegalStateException(listed + " is missing: build first with 'mvn -DskipTests package'");
        }
        return target.resolve("classes") + java.io.File.pathSeparator + Files.readString(listed).trim();
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; only once the process is no longer alive. */
    int exitValue() {
        return process.exitValue();
    }

    long startedNanos() {
        return startedNanos;
    }

    Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
