package io.vigil.models.training;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Sizes the training pool from memory: how many channels can train at once without the process
 * outgrowing the memory it has (a pod's cgroup limit, else the machine's RAM), and at most one per core
 * (with {@code OMP_NUM_THREADS=1} a training task keeps one core busy).
 *
 * <p>The figures are measured, not guessed (docs/models.md, "Memory"): peak resident memory of training
 * JVMs with 1 and with 4 parallel tasks of the default 2 x 80 network. ND4J keeps its arrays off the
 * Java heap, so a task's cost shows in resident memory, not in heap figures; the heap itself can grow to
 * its maximum, so that is counted whole.
 */
public final class MemoryBudget {

    /**
     * Resident memory one more parallel training task adds, rounded up from the largest measured
     * increment: +132 MiB per task with Telemanom's windows (64 x 250-step minibatches), +15 MiB for
     * tBPTT on 1-3k-point channels and +21 MiB on 20k-point ones (docs/models.md).
     */
    public static final long DEFAULT_PER_TASK_BYTES = 192L << 20;
    /**
     * Resident memory of a training JVM beside its heap and its tasks: code, ND4J's native libraries and
     * thread stacks, Kafka clients; measured 176-263 MiB (peak RSS minus -Xmx with one task), rounded up.
     */
    public static final long BASELINE_BYTES = 320L << 20;

    private MemoryBudget() {}

    /**
     * Parallel training tasks: {@code min(cores, (limit - max heap - baseline) / perTask, channels)}, at least 1.
     */
    public static int workers(long perTaskBytes, int channels) {
        return workers(perTaskBytes, channels, memoryLimitBytes(), Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors());
    }

    static int workers(long perTaskBytes, int channels, long limitBytes, long maxHeapBytes, int cores) {
        long free = limitBytes - maxHeapBytes - BASELINE_BYTES;
        long byMemory = Math.max(1, free / Math.max(1, perTaskBytes));
        return (int) Math.max(1, Math.min(Math.min(cores, byMemory), Math.max(1, channels)));
    }

    /** The cgroup memory limit (v2, then v1) if there is one, else the machine's physical memory. */
    public static long memoryLimitBytes() {
        long physical = physicalBytes();
        for (Path p : List.of(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))) {
            Optional<Long> limit = readLong(p);
            if (limit.isPresent() && limit.get() > 0 && limit.get() < physical) {
                return limit.get();
            }
        }
        return physical;
    }

    /** Peak resident memory of this process so far ({@code VmHWM}), or -1 where /proc is missing. */
    public static long peakRssBytes() {
        return procStatus("VmHWM:");
    }

    /** Resident memory of this process now ({@code VmRSS}), or -1 where /proc is missing. */
    public static long currentRssBytes() {
        return procStatus("VmRSS:");
    }

    private static long physicalBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    private static Optional<Long> readLong(Path p) {
        try {
            String text = Files.readString(p).trim();
            return text.equals("max") ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
