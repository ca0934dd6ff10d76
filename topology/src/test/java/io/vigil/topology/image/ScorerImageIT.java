package io.vigil.topology.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.config.Settings;
import io.vigil.topology.ScorerApp;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.it.EmbeddedKafka;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer's image as {@code jib:buildTar} wrote it in {@code package} (target/jib-image.tar, see
 * docs/images.md): its configuration, its files, and that its JRE runs. The layers are unpacked in order
 * into a directory, as a container runtime would; when this JVM may (root, with {@code unshare} and
 * {@code chroot}), the scorer is also started from its entrypoint inside that directory as the image's
 * user, so nothing of this machine's own JDK or libraries is used.
 *
 * <p>Tar and JSON are read with commons-compress and Jackson, which come with Avro.
 */
class ScorerImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static JsonNode config;
    static Path rootfs;

    @BeforeAll
    static void unpack() throws IOException {
        assumeFalse(Boolean.getBoolean("vigil.image.skip"), "image not built (vigil.image.skip)");
        Path image = Path.of(System.getProperty("vigil.image.tar", "target/jib-image.tar"));
        assertTrue(Files.isRegularFile(image), image + " is missing: `mvn package` builds it (jib:buildTar)");

        Path blobs = Files.createDirectories(work.resolve("blobs"));
        extract(Files.newInputStream(image), blobs);
        JsonNode manifest = JSON.readTree(blobs.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(blobs.resolve(manifest.get("Config").asText()).toFile());

        rootfs = Files.createDirectories(work.resolve("rootfs"));
        Files.setPosixFilePermissions(rootfs, perms(0755));
        for (JsonNode layer : manifest.get("Layers")) {
            extract(Files.newInputStream(blobs.resolve(layer.asText())), rootfs);
        }
    }

    @Test
    void entrypointRunsTheScorerWithTheVectorModule() {
        List<String> entrypoint = strings(config.at("/config/Entrypoint"));
        assertTrue(entrypoint.get(0).equals("java") || entrypoint.get(0).endsWith("/bin/java"), entrypoint.toString());
        assertTrue(Collections.indexOfSubList(entrypoint, List.of("--add-modules", "jdk.incubator.vector")) > 0
                || entrypoint.contains("--add-modules=jdk.incubator.vector"), entrypoint.toString());
        assertEquals(ScorerApp.class.getName(), entrypoint.get(entrypoint.size() - 1), entrypoint.toString());
        assertTrue(entrypoint.contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro"), entrypoint.toString());
        // the heap follows the container's memory limit; a deployment may replace these defaults
        assertTrue(env().getOrDefault("JAVA_TOOL_OPTIONS", "").contains("-XX:MaxRAMPercentage="), env().toString());
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = config.at("/config/User").asText("");
        assertTrue(user.matches("\\d+(:\\d+)?"), "User must be numeric uid[:gid], was '" + user + "'");
        assertNotEquals(0, Integer.parseInt(user.split(":")[0]), "User must not be root");
    }

    @Test
    void exposesTheDefaultMetricsPort() {
        int metricsPort = TopologyConfig.from(Settings.of(Map.of())).metricsPort();
        JsonNode ports = config.at("/config/ExposedPorts");
        List<String> exposed = new ArrayList<>();
        ports.fieldNames().forEachRemaining(exposed::add);
        assertEquals(List.of(metricsPort + "/tcp"), exposed);
    }

    @Test
    void containsTheApplicationAndEveryClasspathEntry() throws IOException {
        assertTrue(Files.isRegularFile(rootfs.resolve("app/classes/io/vigil/topology/ScorerApp.class")));
        try (Stream<Path> libs = Files.list(rootfs.resolve("app/libs"))) {
            List<String> names = libs.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.matches("kafka-streams-[0-9.]+\\.jar")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.matches("vigil-schemas-.*\\.jar")), names.toString());
        }
        String classpath = Files.readString(rootfs.resolve("app/jib-classpath-file")).trim();
        for (String entry : classpath.split(":")) {
            Path inImage = rootfs.resolve(entry.substring(1).replaceFirst("/\\*$", ""));
            assertTrue(Files.exists(inImage), "classpath entry " + entry + " is not in the image");
        }
    }

    @Test
    void baseLayerJreRunsWithTheVectorModule() throws Exception {
        Path java = rootfs.resolve("opt/java/openjdk/bin/java");
        assertTrue(Files.isExecutable(java), java + " missing or not executable");
        Result modules = run(List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "--list-modules"),
                Map.of(), Duration.ofSeconds(60));
        assertEquals(0, modules.exit(), modules.output());
        for (String module : List.of("java.base", "jdk.incubator.vector", "jdk.httpserver", "java.management")) {
            assertTrue(modules.output().contains(module + "@"), module + " missing:\n" + modules.output());
        }
        Result version = run(List.of(java.toString(), "-version"), Map.of(), Duration.ofSeconds(60));
        assertEquals(0, version.exit(), version.output());
        String release = Files.readString(rootfs.resolve("opt/java/openjdk/release"));
        int feature = Integer.parseInt(release.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
        assertTrue(feature >= 17, "the scorer is built for Java 17; the image has " + feature);
    }

    /**
     * The real entrypoint, environment and user inside the unpacked image, in a private mount and PID
     * namespace with its own /proc and an /etc/hosts, as a runtime gives: against a broker in this JVM
     * (and the serdes' in-memory registry) the scorer gets to RUNNING, so its classpath, the Vector API
     * module, RocksDB's native library with the image's libstdc++, and /tmp as a non-root user all work.
     */
    @Test
    void scorerRunsInsideTheImageAsItsUser() throws Exception {
        Optional<String> unshare = tool("unshare");
        Optional<String> chroot = tool("chroot");
        assumeTrue(unshare.isPresent() && chroot.isPresent()
                && Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "needs root, unshare and chroot");
        Files.createDirectories(rootfs.resolve("proc"));
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 localhost\n::1 localhost\n");
        List<String> namespace = List.of(unshare.get(), "--mount", "--pid", "--fork", "--kill-child",
                "--mount-proc=" + rootfs.resolve("proc"));
        Result probe = run(concat(namespace, List.of(chroot.get(), rootfs.toString(), "/opt/java/openjdk/bin/java",
                "-version")), Map.of(), Duration.ofSeconds(60));
        assumeTrue(probe.exit() == 0, "no mount/PID namespaces here: " + probe.output());

        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(2);
            int metricsPort = freePort();
            Map<String, String> environment = new java.util.HashMap<>(env());
            environment.put("VIGIL_METRICS_PORT", Integer.toString(metricsPort));
            environment.put("VIGIL_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            environment.put("VIGIL_SCHEMA_REGISTRY_URL", "mock://scorer-image");
            List<String> command = concat(namespace, List.of(chroot.get(),
                    "--userspec=" + config.at("/config/User").asText(), rootfs.toString()));
            command = concat(command, strings(config.at("/config/Entrypoint")));
            Path log = work.resolve("scorer.log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process scorer = builder.start();
            try {
                int status = -1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (status != 200 && scorer.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                    status = httpStatus("http://127.0.0.1:" + metricsPort + "/ready");
                }
                String output = Files.readString(log);
                assertEquals(200, status, "not ready (alive: " + scorer.isAlive() + "):\n" + output);
                assertFalse(output.contains(LstmForwardPasses.scalar().toString()),
                        "started without the vector module:\n" + output);
            } finally {
                scorer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // --- helpers ---

    private static Map<String, String> env() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String pair : strings(config.at("/config/Env"))) {
            int eq = pair.indexOf('=');
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Unpacks a (possibly gzipped) tar as a container runtime applies a layer, refusing paths outside. */
    private static void extract(InputStream raw, Path into) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(gzip ? new GZIPInputStream(in, 1 << 16) : in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    fail("layer entry outside the root: " + e.getName());
                }
                String file = target.getFileName() == null ? "" : target.getFileName().toString();
                if (file.startsWith(".wh.")) { // a whiteout: the lower layer's file is deleted
                    deleteRecursively(target.resolveSibling(file.substring(4)));
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, perms(e.getMode() | 0700));
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createLink(target, into.resolve(e.getLinkName()).normalize());
                } else if (e.isFile()) {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, perms(e.getMode()));
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Optional<String> tool(String name) {
        return Stream.of("/usr/bin", "/usr/sbin", "/bin", "/sbin").map(d -> Path.of(d, name))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int httpStatus(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        } catch (IOException notYet) {
            return -1;
        }
    }
}
