package io.vigil.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.bridge.BridgeConfig;
import io.vigil.config.Settings;
import io.vigil.local.registry.LocalSchemaRegistry;
import io.vigil.models.cli.ModelsCli;
import io.vigil.notifier.NotifierConfig;
import io.vigil.replay.kafka.ProducerSettings;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.topics.TopicsCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is generated from the typed configuration of every process (what each
 * reads through {@link Settings}, with its default), so it cannot drift from the code: this test fails
 * when the file is out of date and rewrites it with {@code -Dvigil.docs.write=true}. The hand-written
 * settings table in {@code docs/architecture.md} may only name settings some process reads.
 */
class ConfigurationReferenceTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path REFERENCE = REPO.resolve("docs/configuration.md");

    /** Each process and what it reads its settings with, in the order the reference lists them. */
    static Map<String, Consumer<Settings>> readers() {
        Map<String, Consumer<Settings>> readers = new LinkedHashMap<>();
        readers.put("scorer (`io.vigil.topology.ScorerApp`)", TopologyConfig::from);
        readers.put("topics command (`ScorerApp topics`)", TopicsCommand::settings);
        readers.put("SSE bridge (`io.vigil.bridge.SseBridge`)", BridgeConfig::from);
        readers.put("notifier (`io.vigil.notifier.Notifier`)", NotifierConfig::from);
        readers.put("replay producer (`io.vigil.replay.ReplayProducer`)", s -> ProducerSettings.from(s, Map.of()));
        readers.put("models CLI (`io.vigil.models.cli.ModelsCli`)", ModelsCli::settings);
        readers.put("local schema registry (`io.vigil.local.registry.LocalSchemaRegistry`)", LocalSchemaRegistry.Config::from);
        readers.put("local stack (`./run-local.sh`)", LocalStackConfig::from);
        return readers;
    }

    @Test
    void theReferenceIsWhatTheCodeReads() throws IOException {
        String generated = generate();
        if (Boolean.getBoolean("vigil.docs.write")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        String current = Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
        assertEquals(generated, current, "docs/configuration.md is out of date; regenerate it with "
                + "mvn -pl local-stack test -Dtest=ConfigurationReferenceTest -Dvigil.docs.write=true");
    }

    @Test
    void theArchitecturePagesSettingsTableNamesOnlySettingsSomethingReads() throws IOException {
        TreeSet<String> known = new TreeSet<>();
        readers().values().forEach(r -> known.addAll(Settings.keysReadBy(r).keySet()));
        String page = Files.readString(REPO.resolve("docs/architecture.md"), StandardCharsets.UTF_8);
        String table = page.substring(page.indexOf("## Settings"), page.indexOf("\n## ", page.indexOf("## Settings") + 1));
        Matcher key = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(table);
        int checked = 0;
        while (key.find()) {
            Matcher names = Pattern.compile("`([a-z][a-z0-9.-]+)`").matcher(key.group(1));
            while (names.find()) {
                assertTrue(known.contains(names.group(1)), "docs/architecture.md names " + names.group(1)
                        + ", which no process reads");
                checked++;
            }
        }
        assertTrue(checked > 20, "the settings table was found and read (" + checked + " keys)");
    }

    private static String generate() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("Generated from the code by `ConfigurationReferenceTest` (local-stack module), which fails\n")
                .append("when this page is out of date; regenerate it with\n")
                .append("`mvn -pl local-stack test -Dtest=ConfigurationReferenceTest -Dvigil.docs.write=true`.\n")
                .append("What each setting means is in `docs/architecture.md` (Settings) and `docs/operations.md`.\n\n")
                .append("Every setting `key` can be given as the system property `vigil.<key>` or the environment\n")
                .append("variable `VIGIL_<KEY>` (upper case, dots and dashes as underscores), or read from a file\n")
                .append("named by `vigil.<key>.file` / `VIGIL_<KEY>_FILE` (how Kubernetes mounts Secrets). A\n")
                .append("`prefix.*` row passes every setting under that prefix through: `kafka.*` is any Kafka\n")
                .append("client property (`VIGIL_KAFKA_SECURITY_PROTOCOL`), `schema.registry.ssl.*` Confluent's\n")
                .append("registry TLS keys. A process warns at start-up about `VIGIL_*` settings it does not read.\n");
        readers().forEach((process, reader) -> {
            md.append("\n## ").append(process).append("\n\n| setting | environment variable | default |\n|---|---|---|\n");
            new TreeMap<>(Settings.keysReadBy(reader)).forEach((key, value) -> md.append("| `").append(key)
                    .append("` | `").append(env(key)).append("` | ").append(shown(value)).append(" |\n"));
        });
        return md.toString();
    }

    private static String env(String key) {
        return key.endsWith("*") ? Settings.envName(key.substring(0, key.length() - 2)) + "_*" : Settings.envName(key);
    }

    /** Defaults as a reader on any machine would see them: paths of this checkout and temp dir generalised. */
    private static String shown(String value) {
        if (value.isEmpty()) {
            return "(none)";
        }
        String v = value;
        // The local stack resolves its directories against its `repo` setting, "." by default.
        String workingDir = Path.of(".").toAbsolutePath().normalize().toString();
        if (v.startsWith(workingDir + "/")) {
            v = "<repo>" + v.substring(workingDir.length());
        }
        String tmp = Path.of(System.getProperty("java.io.tmpdir")).toString();
        if (v.startsWith(tmp + "/")) {
            v = "<tmpdir>" + v.substring(tmp.length());
        }
        return "`" + v.replace("|", "\\|") + "`";
    }

}
