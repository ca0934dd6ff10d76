package io.vigil.topology.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What Linux's {@code /proc} says of a process's memory and CPU, for the benchmarks' reports. */
public final class ProcFs {

    /** Resident memory now. */
    public static final String RSS = "VmRSS:";
    /** Peak resident memory so far (the high-water mark). */
    public static final String PEAK_RSS = "VmHWM:";
    /** Clock ticks per second of {@code /proc/<pid>/stat}'s times: 100 on every Linux build that matters here. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcFs() {}

    /** A memory field of process {@code pid}'s status ({@link #RSS}, {@link #PEAK_RSS}), in bytes, or -1 where /proc is missing. */
    public static long memoryBytes(long pid, String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(l -> l.startsWith(field))
                    .map(l -> l.substring(field.length()).trim().split("\\s+")[0])
                    .mapToLong(kb -> Long.parseLong(kb) * 1024)
                    .findFirst().orElse(-1);
        }
    }

    /** The same in MiB, or -1. */
    public static long memoryMiB(long pid, String field) throws IOException {
        long bytes = memoryBytes(pid, field);
        return bytes < 0 ? -1 : bytes >> 20;
    }

    /** User plus system CPU time of process {@code pid} so far, in seconds. */
    public static double cpuSeconds(long pid) throws IOException {
        // The command name, in parentheses, may hold spaces: the fields are counted after it, where
        // utime and stime (fields 14 and 15 of stat) are the 12th and 13th.
        String[] stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"))
                .replaceFirst("^.*\\) ", "").split(" ");
        return (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / TICKS_PER_SECOND;
    }
}
