package io.vigil.local.broker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines of a log file, for error messages; reads only the file's end, however large it is. A
 * failing JVM's shutdown can log enough to push the stack trace that explains it out of the last lines,
 * so the exception causes logged before them are listed first.
 */
final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_CAUSES = 5;

    private LogTail() {}

    static String lastLines(Path file, int lines) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
            int tailStart = Math.max(0, all.size() - lines);
            List<String> causes = all.subList(0, tailStart).stream()
                    .filter(line -> line.startsWith("Caused by:"))
                    .distinct()
                    .toList();
            // A retry loop logs the same trace again and again; the latest few causes say enough.
            causes = causes.subList(Math.max(0, causes.size() - MAX_CAUSES), causes.size());
            String tail = String.join("\n", all.subList(tailStart, all.size()));
            return causes.isEmpty() ? tail : String.join("\n", causes) + "\n...\n" + tail;
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }
}
