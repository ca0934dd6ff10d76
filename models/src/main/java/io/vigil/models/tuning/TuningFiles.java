package io.vigil.models.tuning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.models.training.CandidateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A tuning directory: one folder per subsystem holding {@value #JOURNAL}, a JSON line per finished job
 * (appended as each ends, so a killed run loses only the jobs in flight), and {@value #BEST}, the winning
 * settings that {@code models train --tuned} reads.
 */
final class TuningFiles {

    static final String JOURNAL = "trials.jsonl";
    static final String BEST = "best.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // Two results on one line (an append after a line whose newline a kill cut off) must not read as one.
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, false);

    private TuningFiles() {}

    /** The folder of {@code subsystem}: its name where that is a safe file name, as candidate files are named. */
    static Path folder(Path root, String subsystem) {
        return root.resolve(CandidateFiles.safeName(subsystem));
    }

    static void append(Path folder, TrialResult result) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(JOURNAL), JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the tuning journal in " + folder, e);
        }
    }

    /**
     * The journal's results. A last line cut short (the process killed while writing it) is dropped from
     * the file and {@code notes} told, and a whole last line without its newline gets one, so the next
     * line appended starts on a line of its own; a bad line elsewhere means the file is not a journal.
     */
    static List<TrialResult> journal(Path folder, Consumer<String> notes) {
        Path file = folder.resolve(JOURNAL);
        if (!Files.exists(file)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> lines = text.lines().toList();
        List<TrialResult> results = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                results.add(JSON.readValue(line, TrialResult.class));
            } catch (JsonProcessingException e) {
                if (i < lines.size() - 1) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a tuning journal line: "
                            + e.getOriginalMessage());
                }
                notes.accept(file + ":" + (i + 1) + ": the last line is cut short (a run killed while writing it); that job"
                        + " runs again");
                rewrite(file, lines.subList(0, i));
                return results;
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            // Killed between a line and its newline: the line is whole, the next append must start anew.
            rewrite(file, lines);
        }
        return results;
    }

    private static void rewrite(Path file, List<String> lines) {
        try {
            Path temp = Files.createTempFile(file.getParent(), ".journal", ".tmp");
            Files.writeString(temp, lines.stream().map(l -> l + "\n").reduce("", String::concat), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot drop the cut-short last line of " + file, e);
        }
    }

    /** Writes the winner atomically: {@code train --tuned} never reads half a file. */
    static void writeBest(Path folder, TunedSettings.Tuned best) {
        try {
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, ".best", ".tmp");
            Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(best) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(temp, folder.resolve(BEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(BEST), e);
        }
    }

    /** Every subsystem's winner under {@code root}, by subsystem. */
    static List<TunedSettings.Tuned> readBest(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": no such tuning directory");
        }
        List<TunedSettings.Tuned> all = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path f : folders.map(p -> p.resolve(BEST)).filter(Files::isRegularFile).sorted().toList()) {
                try {
                    all.add(JSON.readValue(f.toFile(), TunedSettings.Tuned.class));
                } catch (IOException e) {
                    throw new IllegalArgumentException(f + ": not a tuning result: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return all;
    }
}
