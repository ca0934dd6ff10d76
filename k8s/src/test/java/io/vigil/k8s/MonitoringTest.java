package io.vigil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring pack: the rendered {@code PrometheusRule}'s groups pass {@code promtool check rules}
 * and {@code promtool test rules} (each alert fires on a bad series and stays quiet on a healthy one,
 * with the labels and summaries an operator sees), and the Grafana dashboard is valid JSON whose every
 * panel queries something. promtool is Debian's (scripts/install-prometheus.sh, run by this module's
 * build); without it the check fails rather than passes.
 */
class MonitoringTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @TempDir
    Path dir;

    @EveryOverlay
    void theAlertsPassPromtoolsChecksAndItsUnitTests(String overlay) throws Exception {
        List<GenericKubernetesResource> rules = Manifests.of(overlay).generic("monitoring.coreos.com", "PrometheusRule");
        assertEquals(1, rules.size(), overlay + ": one PrometheusRule");
        Object groups = Manifests.get(rules.get(0), "spec", "groups");
        Files.writeString(dir.resolve("alerts.rules.yaml"), YAML.asYaml(Map.of("groups", groups)));
        try (InputStream test = MonitoringTest.class.getResourceAsStream("alerts.test.yaml")) {
            Files.write(dir.resolve("alerts.test.yaml"), test.readAllBytes());
        }
        promtool("check", "rules", "alerts.rules.yaml");
        String tested = promtool("test", "rules", "alerts.test.yaml");
        assertTrue(tested.contains("SUCCESS"), tested);
    }

    @EveryOverlay
    void theDashboardIsJsonAndEveryPanelQueriesVigilsMetrics(String overlay) throws IOException {
        ConfigMap dashboard = Manifests.of(overlay).all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("vigil-grafana-dashboard")).findFirst().orElseThrow();
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("grafana-dashboard.json"));
        assertTrue(json.path("panels").size() >= 8, "panels");
        for (JsonNode panel : json.path("panels")) {
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText() + " has a query");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertTrue(expr.contains("vigil_") || expr.contains("kafka_") || expr.contains("jvm_")
                        || expr.contains("process_"), panel.path("title").asText() + ": " + expr);
            }
        }
    }

    private String promtool(String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " is missing: run scripts/install-prometheus.sh "
                + "(Debian's prometheus package)");
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + output);
        return output;
    }
}
