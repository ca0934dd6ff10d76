package io.vigil.topology.bench;

import io.vigil.topology.it.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a run leaves in memory and on disk. */
final class Footprint {

    private static final String ROCKSDB_DIR = "rocksdb";

    private Footprint() {}

    /** Peak resident memory of this process so far, in bytes, or -1 where /proc is missing. */
    static long peakRssBytes() throws IOException {
        return ProcFs.memoryBytes(ProcessHandle.current().pid(), ProcFs.PEAK_RSS);
    }

    /**
     * Bytes of RocksDB's data files (SST, and write-ahead logs if any: Kafka Streams writes without
     * one) under an application's state directory ({@code <state.dir>/<application.id>}), summed
     * over tasks by store. Read after a clean close, which flushes every store's memtable; the files
     * are compressed and may still hold overwritten values that no compaction has dropped yet. In-memory
     * stores have none.
     */
    static Map<String, Long> rocksDbBytes(Path applicationStateDir) throws IOException {
        Map<String, Long> bytes = new TreeMap<>();
        if (!Files.isDirectory(applicationStateDir)) {
            return bytes;
        }
        try (Stream<Path> files = Files.walk(applicationStateDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                String store = storeOf(applicationStateDir.relativize(file));
                if (store != null && Files.isRegularFile(file) && (name.endsWith(".sst") || name.endsWith(".log"))) {
                    bytes.merge(store, Files.size(file), Long::sum);
                }
            }
        }
        return bytes;
    }

    /** The store a file under {@code <task>/rocksdb/<store>/} belongs to, or null for other files. */
    private static String storeOf(Path relative) {
        for (int i = 0; i + 2 < relative.getNameCount(); i++) {
            if (relative.getName(i).toString().equals(ROCKSDB_DIR)) {
                return relative.getName(i + 1).toString();
            }
        }
        return null;
    }
}
