package io.vigil.models.cli;

import io.vigil.avro.ModelRelease;
import io.vigil.models.registry.Change;
import io.vigil.models.registry.ModelRegistry;
import io.vigil.models.training.CandidateFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Helpers the registry commands share. */
final class RegistryCommands {

    private RegistryCommands() {}

    /** Releases every candidate in {@code dir} (or those of {@code channels}); returns the exit code. */
    static int releaseAll(ModelRegistry registry, Path dir, Collection<String> channels, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        List<ModelRelease> candidates = new ArrayList<>(CandidateFiles.readAll(dir));
        if (!channels.isEmpty()) {
            Set<String> wanted = Set.copyOf(channels);
            candidates.removeIf(c -> !wanted.contains(c.getChannelId()));
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no trained models" + (channels.isEmpty() ? "" : " of " + channels) + " in " + dir);
        }
        registry.ensureTopics();
        int failed = 0;
        java.util.Map<Change.Kind, Integer> kinds = new java.util.EnumMap<>(Change.Kind.class);
        for (ModelRelease candidate : candidates) {
            try {
                Change change = registry.release(candidate);
                kinds.merge(change.kind(), 1, Integer::sum);
                out.println(change.describe());
            } catch (RuntimeException e) {
                failed++;
                err.println(candidate.getChannelId() + ": release FAILED: " + e.getMessage());
            }
            out.flush();
        }
        out.printf(Locale.ROOT, "%d model(s): %d released as new versions, %d equal to an archived version, %d failed%n",
                candidates.size(), kinds.getOrDefault(Change.Kind.RELEASED, 0),
                kinds.getOrDefault(Change.Kind.UNCHANGED, 0) + kinds.getOrDefault(Change.Kind.REUSED, 0), failed);
        return failed == 0 ? 0 : 1;
    }

    static String line(ModelRelease r, boolean champion) {
        return String.format(Locale.ROOT, "%-40s %7d %-9s %-24s %10s %6s %7s  %s", r.getChannelId(), r.getVersion(),
                champion ? ModelRegistry.CHAMPION : "", r.getReleasedAt(),
                r.getMetrics().containsKey("val_mse") ? String.format(Locale.ROOT, "%.6f", r.getMetrics().get("val_mse")) : "-",
                r.getTrainingInfo().getOrDefault("scheme", "-"), r.getTrainingInfo().getOrDefault("trainPoints", "-"),
                r.getChecksum().substring(0, 12));
    }

    static String header() {
        return String.format(Locale.ROOT, "%-40s %7s %-9s %-24s %10s %6s %7s  %s", "channel", "version", "alias",
                "released", "val loss", "scheme", "points", "checksum");
    }

    static void print(PrintWriter out, Change change) {
        out.println(change.describe());
        out.flush();
    }
}
