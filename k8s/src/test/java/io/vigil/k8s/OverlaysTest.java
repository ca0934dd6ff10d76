package io.vigil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.vigil.k8s.Manifests.Running;
import io.vigil.schemas.ServiceAccess;
import io.vigil.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each overlay is for, as k8s/README.md describes it. */
class OverlaysTest {

    private static Map<String, String> topics(Manifests m) {
        return m.generatedConfigMap("vigil-topics").orElseThrow();
    }

    private static int maxScorers(Manifests m) {
        return ((Number) Manifests.get(KafkaResourcesTest.scaledObject(m), "spec", "maxReplicaCount")).intValue();
    }

    @Test
    void theSmallOverlayIsOneScorerToStartOnPlaintextWithFourPartitionsAndNoStrimzi() {
        Manifests small = Manifests.of("small");
        assertEquals("4", topics(small).get("VIGIL_TOPICS_PARTITIONS"));
        assertEquals("1", topics(small).get("VIGIL_REPLICATION_FACTOR"));
        assertEquals(4, KafkaResourcesTest.provisionedPartitions(small, Topics.TELEMETRY));
        assertTrue(maxScorers(small) <= 2, "a small cluster scales to at most two scorers");
        assertEquals(1, ((Number) Manifests.get(KafkaResourcesTest.scaledObject(small), "spec", "minReplicaCount")).intValue());
        assertTrue(small.generic("kafka.strimzi.io", "KafkaTopic").isEmpty(), "no Strimzi");
        assertTrue(small.generic("kafka.strimzi.io", "KafkaUser").isEmpty(), "no Strimzi");
        assertTrue(small.generic("keda.sh", "TriggerAuthentication").isEmpty(), "KEDA connects plainly");
        for (Running r : small.running()) {
            assertEquals(Optional.empty(), r.value("VIGIL_KAFKA_SECURITY_PROTOCOL"), r + " talks plaintext");
        }
        assertFalse(small.running(VigilService.TOPICS).isEmpty(), "the topics Job creates the topics");
        assertFalse(small.running(VigilService.REPLAY).isEmpty(), "a demo replay gives the dashboard something to show");
    }

    @Test
    void theProductionOverlayIsSaslSslWithStrimziTwelvePartitionsThreeReplicasAndUpToTwelveScorers() {
        Manifests production = Manifests.of("production");
        assertEquals("12", topics(production).get("VIGIL_TOPICS_PARTITIONS"));
        assertEquals("3", topics(production).get("VIGIL_REPLICATION_FACTOR"));
        assertEquals("2", topics(production).get("VIGIL_TOPICS_MIN_INSYNC_REPLICAS"));
        assertEquals(12, maxScorers(production));
        assertEquals(Topics.all().size() - 1, production.generic("kafka.strimzi.io", "KafkaTopic").size(),
                "a KafkaTopic per topic but the registry's");
        assertEquals(ServiceAccess.Service.values().length - 1, production.generic("kafka.strimzi.io", "KafkaUser").size(),
                "a KafkaUser per service but the registry (scorer, bridge, ingest, replay, models, notifier)");
        for (Running r : production.running()) {
            assertEquals(Optional.of("SASL_SSL"), r.value("VIGIL_KAFKA_SECURITY_PROTOCOL"), r + " uses SASL_SSL");
            assertTrue(r.value("VIGIL_SCHEMA_REGISTRY_URL").orElseThrow().startsWith("https://"), r + " registry over HTTPS");
        }
        assertTrue(production.running(VigilService.TOPICS).isEmpty(), "Strimzi, not the topics Job, creates the topics");
    }

    @Test
    void theProductionOverlaySizesTheScorerAndTheBridgeUp() {
        Manifests small = Manifests.of("small");
        Manifests production = Manifests.of("production");
        for (String resource : List.of("cpu", "memory")) {
            assertTrue(request(production, resource, true).compareTo(request(small, resource, true)) > 0, "scorer " + resource);
            assertTrue(request(production, resource, false).compareTo(request(small, resource, false)) > 0, "bridge " + resource);
        }
        int productionBridges = production.all(Deployment.class).get(0).getSpec().getReplicas();
        assertTrue(productionBridges > small.all(Deployment.class).get(0).getSpec().getReplicas(), "more bridges");
        Quantity storage = production.all(StatefulSet.class).get(0).getSpec().getVolumeClaimTemplates().get(0)
                .getSpec().getResources().getRequests().get("storage");
        assertTrue(Quantity.getAmountInBytes(storage).compareTo(Quantity.getAmountInBytes(new Quantity("20Gi"))) >= 0,
                "the scorer's state volume is sized for production: " + storage);
    }

    private static java.math.BigDecimal request(Manifests m, String resource, boolean scorer) {
        var container = scorer ? m.all(StatefulSet.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0)
                : m.all(Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        return Quantity.getAmountInBytes(container.getResources().getRequests().get(resource));
    }
}
