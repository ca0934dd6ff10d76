package io.vigil.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process as Linux reports it, for the start-up summary. */
final class ProcessStats {

    private ProcessStats() {}

    /** VmRSS of {@code pid} in MiB, or -1 where /proc is not available. */
    static long residentMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process is gone: the summary shows a dash.
        }
        return -1;
    }
}
