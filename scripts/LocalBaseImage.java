import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes a Java 17 base image for Jib as a {@code docker save} tar, without a Docker engine or a
 * registry: the build machines cannot pull {@code eclipse-temurin}, yet CI builds the scorer's image
 * ({@code jib:buildTar}, base {@code tar://...}). See docs/images.md.
 *
 * <p>One layer: a JRE made by {@code jlink} from the JDK running this program at
 * {@code /opt/java/openjdk}; the shared libraries it (and RocksDB's and ND4J's JNI libraries) link
 * against, copied from this machine, so the image runs on its own filesystem and not only on this
 * host; {@code /etc/passwd} and {@code /etc/group} with the non-root user; {@code /tmp} (1777). Entries
 * are sorted and dated 1970, so the same JDK gives the same bytes (Jib then reuses its cached layer).
 * If the output and its {@code .key} file already match the inputs, nothing is done.
 *
 * <p>Run by Maven (exec-maven-plugin, execution {@code local-base-image}) with the JDK's source launcher:
 * {@code java scripts/LocalBaseImage.java --output target/x.tar --modules java.base,... --user 65532:65532}.
 * Linux only (glibc with {@code ldd}); a test fixture and CI base, not a replacement for a maintained
 * JRE image.
 */
public final class LocalBaseImage {

    static final String JAVA_HOME = "/opt/java/openjdk";
    /** JDK libraries only a desktop loads; their dependencies (X11, fonts, sound) stay out. */
    static final Set<String> DESKTOP_LIBS = Set.of("libawt_xawt.so", "libjawt.so", "libsplashscreen.so",
            "libjsound.so", "libfontmanager.so", "liblcms.so", "libjavajpeg.so");
    static final List<String> LIB_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib");

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("--user", "65532:65532",
                // What the JNI libraries unpacked at run time link and a JDK may not (ldd of each): RocksDB's
                // libstdc++, libgcc_s, libpthread, librt, libdl (glibc's stubs since 2.34); ND4J's libz.
                "--extra-libs", "libstdc++.so.6,libgcc_s.so.1,libpthread.so.0,librt.so.1,libdl.so.2,libz.so.1",
                "--tag", "vigil/local-jre:17"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        if (!opt.containsKey("--output") || !opt.containsKey("--modules")) {
            System.err.println("usage: java LocalBaseImage.java --output <tar> --modules <m1,m2,...>"
                    + " [--user uid:gid] [--extra-libs a.so,b.so] [--tag name:tag]");
            System.exit(2);
        }
        if (!System.getProperty("os.name").equals("Linux")) {
            throw new IllegalStateException("a Linux image needs a Linux JDK; use -Dvigil.image.base=eclipse-temurin:17-jre");
        }
        Path output = Path.of(opt.get("--output")).toAbsolutePath().normalize();
        Path javaHome = Path.of(System.getProperty("java.home"));
        String[] ids = opt.get("--user").split(":");
        int uid = Integer.parseInt(ids[0]);
        int gid = Integer.parseInt(ids.length > 1 ? ids[1] : ids[0]);
        opt.put("--output", output.toString());
        // The inputs; "v2" changes whenever this program changes what it writes. Sorted: Map.of's order
        // differs between runs.
        String key = String.join("\n", "v2", javaHome.toString(), System.getProperty("java.runtime.version"),
                new TreeMap<>(opt).toString(), "");
        Path keyFile = output.resolveSibling(output.getFileName() + ".key");
        if (Files.exists(output) && Files.exists(keyFile) && Files.readString(keyFile).equals(key)) {
            System.out.println("local base image up to date: " + output);
            return;
        }
        long t0 = System.nanoTime();
        Files.createDirectories(output.getParent());
        Path work = Files.createTempDirectory(output.getParent(), "base-image-");
        try {
            Path jre = work.resolve("jre");
            // No --compress: Jib gzips the layer anyway, and an uncompressed jimage starts faster.
            run(javaHome.resolve("bin/jlink").toString(), "--add-modules", opt.get("--modules"), "--strip-debug",
                    "--no-man-pages", "--no-header-files", "--output", jre.toString());

            // path in the image -> file on this machine (null: a directory); ordered, so the tar is too
            TreeMap<String, Path> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(jre)) {
                walk.forEach(p -> files.put(JAVA_HOME + (p.equals(jre) ? "" : "/" + jre.relativize(p)), p));
            }
            for (String lib : sharedLibraries(jre, opt.get("--extra-libs").split(","))) {
                files.put(lib, Path.of(lib));
            }
            // LANG=C.UTF-8 (below) needs glibc's compiled C.UTF-8 locale, else Java 17 falls back to ASCII.
            Path locale = Path.of("/usr/lib/locale/C.utf8");
            if (Files.isDirectory(locale)) {
                try (Stream<Path> walk = Files.walk(locale)) {
                    walk.forEach(p -> files.put(p.toString(), p));
                }
            }
            Map<String, byte[]> generated = new TreeMap<>(Map.of(
                    "/etc/passwd", ("root:x:0:0:root:/root:/sbin/nologin\n"
                            + "nonroot:x:" + uid + ":" + gid + ":nonroot:/home/nonroot:/sbin/nologin\n").getBytes(StandardCharsets.UTF_8),
                    "/etc/group", ("root:x:0:\nnonroot:x:" + gid + ":\n").getBytes(StandardCharsets.UTF_8),
                    // glibc's default without this file asks DNS before /etc/hosts
                    "/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n".getBytes(StandardCharsets.UTF_8)));

            Path layer = work.resolve("layer.tar");
            int count;
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(layer), sha)) {
                Tar tar = new Tar(out);
                Set<String> dirs = new TreeSet<>(List.of("/tmp", "/home", "/home/nonroot"));
                Stream.concat(files.keySet().stream(), generated.keySet().stream()).forEach(p -> {
                    for (Path d = Path.of(p).getParent(); d != null && d.getNameCount() > 0; d = d.getParent()) {
                        dirs.add(d.toString());
                    }
                });
                TreeMap<String, Object> entries = new TreeMap<>();
                dirs.forEach(d -> entries.put(d, "dir"));
                entries.putAll(files);
                entries.putAll(generated);
                for (Map.Entry<String, Object> e : entries.entrySet()) {
                    String name = e.getKey().substring(1);
                    Object v = e.getValue();
                    if (name.equals("tmp")) {
                        tar.entry(name + "/", '5', 01777, 0, 0, "", null);
                    } else if (name.equals("home/nonroot")) {
                        tar.entry(name + "/", '5', 0700, uid, gid, "", null);
                    } else if (v instanceof byte[] content) {
                        tar.entry(name, '0', 0644, 0, 0, "", content);
                    } else if (v instanceof Path p && Files.isSymbolicLink(p) && p.startsWith(jre)) {
                        tar.entry(name, '2', 0777, 0, 0, Files.readSymbolicLink(p).toString(), null);
                    } else if (v instanceof Path p && !Files.isDirectory(p)) {
                        tar.entry(name, '0', mode(p), 0, 0, "", Files.readAllBytes(p));
                    } else {
                        tar.entry(name + "/", '5', 0755, 0, 0, "", null);
                    }
                }
                tar.finish();
                count = entries.size();
            }
            String diffId = "sha256:" + HexFormat.of().formatHex(sha.digest());
            String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
            String config = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\","
                    + "\"config\":{\"User\":\"" + uid + ":" + gid + "\",\"Env\":["
                    + "\"PATH=" + JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
                    + "\"JAVA_HOME=" + JAVA_HOME + "\",\"JAVA_VERSION=" + System.getProperty("java.runtime.version") + "\","
                    // Java 17 takes its default charset from the locale (UTF-8 by default only from 18 on).
                    + "\"LANG=C.UTF-8\"],\"WorkingDir\":\"/\"},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
                    + "\"history\":[{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"scripts/LocalBaseImage.java: jlink "
                    + opt.get("--modules") + " from " + System.getProperty("java.vendor") + " "
                    + System.getProperty("java.runtime.version") + "\"}]}";
            byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
            String configName = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(configBytes)) + ".json";
            String layerName = diffId.substring(7) + "/layer.tar";
            byte[] manifest = ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + opt.get("--tag")
                    + "\"],\"Layers\":[\"" + layerName + "\"]}]").getBytes(StandardCharsets.UTF_8);

            Path tmpOut = work.resolve("image.tar");
            try (OutputStream out = Files.newOutputStream(tmpOut)) {
                Tar tar = new Tar(out);
                tar.entry(configName, '0', 0644, 0, 0, "", configBytes);
                tar.entry(diffId.substring(7) + "/", '5', 0755, 0, 0, "", null);
                tar.entryFromFile(layerName, layer);
                tar.entry("manifest.json", '0', 0644, 0, 0, "", manifest);
                tar.finish();
            }
            Files.move(tmpOut, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(keyFile, key);
            System.out.printf("local base image %s: %d entries, %.1f MB, %s, in %.1f s%n", output, count,
                    Files.size(output) / 1e6, diffId, (System.nanoTime() - t0) / 1e9);
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The host's shared libraries that the JRE's launcher and libraries and {@code extraLibs} need,
     * transitively (each file that {@code ldd} resolves lists its own closure), with the ELF loader.
     */
    static Set<String> sharedLibraries(Path jre, String[] extraLibs) throws IOException, InterruptedException {
        List<Path> elves = new ArrayList<>(List.of(jre.resolve("bin/java")));
        try (Stream<Path> walk = Files.walk(jre.resolve("lib"))) {
            walk.filter(p -> p.toString().endsWith(".so") && !DESKTOP_LIBS.contains(p.getFileName().toString()))
                    .forEach(elves::add);
        }
        for (String lib : extraLibs) {
            Path found = LIB_DIRS.stream().map(d -> Path.of(d, lib)).filter(Files::exists).findFirst()
                    .orElseThrow(() -> new IllegalStateException(lib + " not found in " + LIB_DIRS));
            elves.add(found);
        }
        Set<String> libs = new TreeSet<>();
        for (Path elf : elves) {
            if (!elf.startsWith(jre)) {
                libs.add(elf.toString());
            }
            for (String line : run("ldd", elf.toString()).split("\n")) {
                String[] parts = line.trim().split("\\s+");
                // "libc.so.6 => /lib/.../libc.so.6 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)";
                // "libjvm.so => not found": the JRE's own, found by the JVM at run time
                String path = parts.length >= 3 && parts[1].equals("=>") ? parts[2] : parts[0];
                if (path.startsWith("/") && !Path.of(path).normalize().startsWith(jre)) {
                    libs.add(Path.of(path).normalize().toString());
                }
            }
        }
        return libs;
    }

    static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 && !command[0].equals("ldd")) { // ldd fails on files it cannot read: none left out
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** A POSIX ustar writer: enough for these names (up to 255 characters), files and symbolic links. */
    static final class Tar {
        private final OutputStream out;

        Tar(OutputStream out) {
            this.out = out;
        }

        void entry(String name, char type, int mode, int uid, int gid, String link, byte[] content) throws IOException {
            header(name, type, mode, uid, gid, link, content == null ? 0 : content.length);
            if (content != null) {
                out.write(content);
                pad(content.length);
            }
        }

        void entryFromFile(String name, Path file) throws IOException {
            long size = Files.size(file);
            header(name, '0', 0644, 0, 0, "", size);
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
            pad(size);
        }

        void finish() throws IOException {
            out.write(new byte[1024]);
            out.flush();
        }

        private void header(String name, char type, int mode, int uid, int gid, String link, long size) throws IOException {
            byte[] h = new byte[512];
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            String prefix = "";
            if (n.length > 100) { // split at a '/' into prefix (155) and name (100)
                int cut = name.lastIndexOf('/', name.length() - 2);
                while (cut > 0 && (cut > 155 || name.length() - cut - 1 > 100)) {
                    cut = name.lastIndexOf('/', cut - 1);
                }
                if (cut <= 0) {
                    throw new IllegalArgumentException("name too long for ustar: " + name);
                }
                prefix = name.substring(0, cut);
                name = name.substring(cut + 1);
            }
            put(h, 0, 100, name);
            put(h, 100, 8, octal(mode, 7));
            put(h, 108, 8, octal(uid, 7));
            put(h, 116, 8, octal(gid, 7));
            put(h, 124, 12, octal(size, 11));
            put(h, 136, 12, octal(1, 11)); // mtime: fixed, for reproducible layers
            Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 157, 100, link);
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            put(h, 265, 32, uid == 0 ? "root" : "nonroot");
            put(h, 297, 32, gid == 0 ? "root" : "nonroot");
            put(h, 345, 155, prefix);
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, octal(sum, 6) + "\0 ");
            out.write(h);
        }

        private void pad(long size) throws IOException {
            int rest = (int) (size % 512);
            if (rest != 0) {
                out.write(new byte[512 - rest]);
            }
        }

        private static String octal(long value, int digits) {
            String s = Long.toOctalString(value);
            return "0".repeat(Math.max(0, digits - s.length())) + s;
        }

        private static void put(byte[] h, int offset, int length, String value) {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            if (b.length > length) {
                throw new IllegalArgumentException("tar field too long: " + value);
            }
            System.arraycopy(b, 0, h, offset, b.length);
        }
    }
}
