package io.vigil.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a Kustomize directory with {@code kubectl kustomize}, offline. Without kubectl the checks
 * cannot run, and a check that cannot run must not pass: it fails, saying what to install.
 */
final class Kubectl {

    private Kubectl() {}

    /** kubectl from {@code -Dvigil.kubectl}, the PATH, /usr/local/bin or /usr/bin. */
    static Path find() {
        List<Path> candidates = new ArrayList<>();
        String given = System.getProperty("vigil.kubectl");
        if (given != null && !given.isBlank()) {
            candidates.add(Path.of(given));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, "kubectl"));
                }
            }
        }
        candidates.add(Path.of("/usr/local/bin/kubectl"));
        candidates.add(Path.of("/usr/bin/kubectl"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("kubectl was not found (looked at -Dvigil.kubectl, the PATH, /usr/local/bin and /usr/bin): "
                + "the manifest checks render every overlay with `kubectl kustomize` and cannot run without it. "
                + "Install kubectl 1.29 or later (it includes Kustomize; no cluster is needed), or pass "
                + "-Dvigil.kubectl=/path/to/kubectl");
    }

    /** The output of {@code kubectl kustomize dir}. */
    static String kustomize(Path dir) {
        Path kubectl = find();
        try {
            Path out = Files.createTempFile("vigil-kustomize", ".yaml");
            Path err = Files.createTempFile("vigil-kustomize", ".err");
            try {
                Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return fail("kubectl kustomize " + dir + " did not finish within 120 s");
                }
                if (p.exitValue() != 0) {
                    return fail("kubectl kustomize " + dir + " failed (exit " + p.exitValue() + "): "
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return fail("could not run " + kubectl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while rendering " + dir);
        }
    }
}
