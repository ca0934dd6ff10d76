package io.vigil.bridge.testing;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running a task (HotSpot's per-thread counter). */
public final class Allocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A task that may throw: the allocation of a refusal counts too. */
    public interface Task {
        void run() throws Exception;
    }

    /**
     * The least a repeatable task allocates over {@code runs} runs: the first runs of new code may also
     * pay the JVM's one-off costs (class loading, compilation), which are not the task's.
     */
    public static long least(int runs, Task task) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            least = Math.min(least, of(task));
        }
        return least;
    }

    public static long of(Task task) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            task.run();
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError vm) {
                throw vm;
            }
            // Thrown or returned, what it cost is what is measured.
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private Allocation() {}
}
