package io.vigil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vigil.k8s.Manifests.MountedFile;
import io.vigil.k8s.Manifests.Running;
import io.vigil.schemas.ServiceAccess;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.topics.TopicsCommand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka side of every overlay against the code: KEDA watches the scorer's group on the telemetry
 * topic within its partitions and logs in as the scorer; every topic of {@link Topics} is provisioned
 * (by the topics Job or a Strimzi KafkaTopic) with one partition count for the channel-keyed ones and
 * the compaction Vigil needs; Strimzi users have exactly the ACLs of {@link ServiceAccess}, and every
 * service logs in as its own user.
 */
class KafkaResourcesTest {

    private static final String KEDA = "keda.sh";
    private static final String STRIMZI = "kafka.strimzi.io";

    // ---------------------------------------------------------------- KEDA

    @EveryOverlay
    void kedaScalesTheScorerOnItsConsumerGroupsLagOnTheTelemetryTopic(String overlay) {
        Manifests m = Manifests.of(overlay);
        Running scorer = m.running(VigilService.SCORER).get(0);
        TopologyConfig config = TopologyConfig.from(Manifests.settingsOf(scorer));
        GenericKubernetesResource scaled = scaledObject(m);
        assertEquals(scorer.workload().kind(), Manifests.get(scaled, "spec", "scaleTargetRef", "kind"),
                overlay + ": KEDA scales the scorer's kind");
        assertEquals(scorer.workload().name(), Manifests.get(scaled, "spec", "scaleTargetRef", "name"),
                overlay + ": KEDA scales the scorer");
        assertEquals("apps/v1", Manifests.get(scaled, "spec", "scaleTargetRef", "apiVersion"), overlay);
        List<Map<String, Object>> triggers = Manifests.get(scaled, "spec", "triggers");
        assertEquals(1, triggers.size(), overlay + ": one trigger");
        Map<String, Object> trigger = triggers.get(0);
        assertEquals("kafka", trigger.get("type"), overlay);
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = (Map<String, String>) trigger.get("metadata");
        assertEquals(config.applicationId(), metadata.get("consumerGroup"),
                overlay + ": the consumer group is the scorer's Streams application id");
        assertEquals(TopologyConfig.DEFAULT_APPLICATION_ID, config.applicationId(), overlay
                + ": the scorer keeps its default application id, the one ServiceAccess grants for");
        assertTrue(topicNames().contains(metadata.get("topic")), overlay + ": KEDA's topic is one of Vigil's");
        assertEquals(Topics.TELEMETRY.name(), metadata.get("topic"), overlay + ": KEDA watches the scorer's input");
        assertEquals(config.clients().bootstrapServers(), metadata.get("bootstrapServers"),
                overlay + ": KEDA asks the brokers the scorer uses");
        for (String threshold : List.of("lagThreshold", "activationLagThreshold")) {
            assertNotNull(metadata.get(threshold), overlay + ": " + threshold + " is set");
            assertTrue(Long.parseLong(metadata.get(threshold)) > 0, overlay + ": " + threshold + " is positive");
        }
        Object min = Manifests.get(scaled, "spec", "minReplicaCount");
        assertTrue(min instanceof Number n && n.intValue() >= 1, overlay + ": at least one scorer judges node silence");
    }

    @EveryOverlay
    void kedaNeverScalesBeyondTheTelemetryTopicsPartitions(String overlay) {
        Manifests m = Manifests.of(overlay);
        int max = ((Number) Manifests.get(scaledObject(m), "spec", "maxReplicaCount")).intValue();
        int partitions = provisionedPartitions(m, Topics.TELEMETRY);
        assertTrue(max >= 1 && max <= partitions, overlay + ": maxReplicaCount " + max
                + " must not exceed vigil.telemetry's " + partitions + " partitions (idle scorers)");
    }

    @EveryOverlay
    void kedaLogsInLikeTheScorerOnASecuredClusterAndPlainlyOtherwise(String overlay) {
        Manifests m = Manifests.of(overlay);
        Running scorer = m.running(VigilService.SCORER).get(0);
        String protocol = scorer.value("VIGIL_KAFKA_SECURITY_PROTOCOL").orElse("PLAINTEXT");
        Map<String, Object> trigger = Manifests.<List<Map<String, Object>>>get(scaledObject(m), "spec", "triggers").get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> ref = (Map<String, Object>) trigger.get("authenticationRef");
        if (protocol.equals("PLAINTEXT")) {
            assertNull(ref, overlay + ": a plaintext cluster: KEDA connects without authentication");
            return;
        }
        assertEquals("SASL_SSL", protocol, overlay + ": the secured overlays use SASL_SSL");
        assertEquals(Optional.of("SCRAM-SHA-512"), scorer.value("VIGIL_KAFKA_SASL_MECHANISM"), overlay);
        assertNotNull(ref, overlay + ": KEDA needs credentials on a secured cluster (authenticationRef)");
        String name = (String) ref.get("name");
        GenericKubernetesResource auth = m.findGeneric(KEDA, "TriggerAuthentication", name)
                .orElseGet(() -> fail(overlay + ": the trigger names TriggerAuthentication " + name + ", not defined"));
        Map<String, Map<String, String>> params = new TreeMap<>();
        List<Map<String, String>> refs = Manifests.get(auth, "spec", "secretTargetRef");
        refs.forEach(p -> params.put(p.get("parameter"), p));
        assertEquals(Set.of("sasl", "tls", "username", "password", "ca"), params.keySet(), overlay + ": KEDA's parameters");

        String user = secretValue(m, params.get("username"));
        assertEquals(ServiceAccess.Service.SCORER.user(), user, overlay + ": KEDA reads the scorer group's offsets "
                + "as the scorer's user, whose ACLs allow it");
        assertEquals("scram_sha512", secretValue(m, params.get("sasl")), overlay + ": SCRAM-SHA-512 like the services");
        assertEquals("enable", secretValue(m, params.get("tls")), overlay + ": TLS like the services");
        assertEquals(user, params.get("password").get("name"), overlay + ": the password is the user's (Strimzi Secret)");
        assertEquals("password", params.get("password").get("key"), overlay);
        if (!m.generic(STRIMZI, "KafkaUser").isEmpty()) {
            assertTrue(ManifestsTest.names(m.generic(STRIMZI, "KafkaUser")).contains(user), overlay + ": KafkaUser " + user);
        }
        MountedFile ca = m.mountedFile(scorer.workload(), scorer.container(),
                scorer.value("VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION").orElseThrow()).orElseThrow();
        assertEquals(Map.of("name", ca.source(), "key", ca.key()), Map.of("name", params.get("ca").get("name"),
                "key", params.get("ca").get("key")), overlay + ": KEDA trusts the CA the scorer trusts");
    }

    // ---------------------------------------------------------------- topics

    @EveryOverlay
    void everyTopicIsProvisionedByTheTopicsJobOrAStrimziTopic(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<Running> jobs = m.running(VigilService.TOPICS);
        Set<String> strimzi = strimziTopics(m).keySet();
        assertTrue(!jobs.isEmpty() || !strimzi.isEmpty(), overlay + ": nothing provisions Vigil's topics");
        for (Topics.Spec spec : Topics.all()) {
            if (spec.equals(Topics.SCHEMAS)) {
                continue; // the registry's own, where a registry keeps its log on Kafka
            }
            boolean byJob = jobs.stream().anyMatch(r -> TopicsCommand.settings(Manifests.settingsOf(r)).topics().contains(spec));
            assertTrue(byJob || strimzi.contains(spec.name()), overlay + ": " + spec.name() + " is provisioned");
        }
        for (Running job : jobs) {
            assertEquals("Job", job.workload().kind(), overlay + ": the topics command runs to completion as a Job");
        }
    }

    @EveryOverlay
    void strimziTopicsAreVigilsWithOnePartitionCountAndTheCompactionTheyNeed(String overlay) {
        Map<String, GenericKubernetesResource> topics = strimziTopics(Manifests.of(overlay));
        Set<Integer> channelKeyed = new TreeSet<>();
        for (Map.Entry<String, GenericKubernetesResource> e : topics.entrySet()) {
            Topics.Spec spec = Topics.all().stream().filter(s -> s.name().equals(e.getKey())).findFirst()
                    .orElseGet(() -> fail(overlay + ": KafkaTopic " + e.getKey() + " is none of io.vigil.schemas.Topics"));
            Map<String, Object> config = Manifests.get(e.getValue(), "spec", "config");
            assertNotNull(config, overlay + ": " + e.getKey() + " sets its configuration");
            String policy = String.valueOf(config.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"));
            assertEquals(spec.compacted() ? "compact" : "delete", policy, overlay + ": " + e.getKey() + " cleanup.policy");
            TopicProvisioner.configOf(spec).forEach((k, v) -> assertEquals(v, String.valueOf(config.get(k)),
                    overlay + ": " + e.getKey() + " " + k + " as TopicProvisioner.configOf"));
            if (Topics.CHANNEL_KEYED.contains(spec)) {
                channelKeyed.add(partitions(e.getValue()));
            }
        }
        if (!topics.isEmpty()) {
            assertEquals(1, channelKeyed.size(), overlay + ": the channel-keyed topics share one partition count: " + channelKeyed);
            for (Topics.Spec spec : Topics.CHANNEL_KEYED) {
                assertTrue(topics.containsKey(spec.name()), overlay + ": channel-keyed " + spec.name() + " is a KafkaTopic");
            }
        }
    }

    @EveryOverlay
    void strimziTopicsAreShapedAsTheTopicsSettingsSayAndTheScorerReplicatesLikeThem(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, GenericKubernetesResource> topics = strimziTopics(m);
        Map<String, String> settings = m.generatedConfigMap("vigil-topics")
                .orElseGet(() -> fail(overlay + ": the vigil-topics ConfigMap is gone"));
        Map<String, String> props = new TreeMap<>();
        settings.forEach((k, v) -> props.put("vigil." + k.substring("VIGIL_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v));
        TopicProvisioner.Layout layout = TopicsCommand.settings(io.vigil.config.Settings.of(props)).layout();
        for (Map.Entry<String, GenericKubernetesResource> e : topics.entrySet()) {
            GenericKubernetesResource t = e.getValue();
            assertEquals(layout.partitions(), partitions(t), overlay + ": " + e.getKey() + " partitions = VIGIL_TOPICS_PARTITIONS");
            assertEquals((int) layout.replication(), ((Number) Manifests.get(t, "spec", "replicas")).intValue(),
                    overlay + ": " + e.getKey() + " replicas = VIGIL_REPLICATION_FACTOR");
            assertEquals(Integer.toString(layout.minInsyncReplicas()),
                    String.valueOf(Manifests.<Object>get(t, "spec", "config", TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)),
                    overlay + ": " + e.getKey() + " min.insync.replicas = VIGIL_TOPICS_MIN_INSYNC_REPLICAS");
        }
        for (VigilService service : List.of(VigilService.SCORER, VigilService.MODELS)) {
            for (Running r : m.running(service)) {
                assertEquals(Optional.of(Short.toString(layout.replication())), r.value("VIGIL_REPLICATION_FACTOR"),
                        overlay + ": " + r + " creates its topics with the cluster's replication");
            }
        }
    }

    // ---------------------------------------------------------------- users

    @EveryOverlay
    void kafkaUserAclsAreExactlyWhatServiceAccessGrants(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (GenericKubernetesResource user : m.generic(STRIMZI, "KafkaUser")) {
            String name = user.getMetadata().getName();
            ServiceAccess.Service service = java.util.Arrays.stream(ServiceAccess.Service.values())
                    .filter(s -> s.user().equals(name)).findFirst()
                    .orElseGet(() -> fail(overlay + ": KafkaUser " + name + " is no service of ServiceAccess"));
            assertEquals("scram-sha-512", Manifests.get(user, "spec", "authentication", "type"), overlay + ": " + name);
            assertEquals("simple", Manifests.get(user, "spec", "authorization", "type"), overlay + ": " + name);
            Set<String> declared = new TreeSet<>();
            for (ServiceAccess.Grant g : ServiceAccess.grants(service, TopologyConfig.DEFAULT_APPLICATION_ID)) {
                for (AclOperation op : g.operations()) {
                    declared.add(g.type() + " " + g.pattern() + " " + g.name() + " " + op);
                }
            }
            Set<String> given = new TreeSet<>();
            List<Map<String, Object>> acls = Manifests.get(user, "spec", "authorization", "acls");
            for (Map<String, Object> acl : acls) {
                @SuppressWarnings("unchecked")
                Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
                assertEquals("allow", String.valueOf(acl.getOrDefault("type", "allow")).toLowerCase(Locale.ROOT), overlay);
                assertEquals("*", String.valueOf(acl.getOrDefault("host", "*")), overlay + ": ACLs from any host");
                @SuppressWarnings("unchecked")
                List<String> ops = (List<String>) acl.get("operations");
                assertNotNull(ops, overlay + ": " + name + " lists operations");
                for (String op : ops) {
                    given.add(resourceType(resource) + " " + patternType(resource) + " " + resource.get("name") + " "
                            + AclOperation.fromString(op.replaceAll("([a-z])([A-Z])", "$1_$2")));
                }
            }
            assertEquals(declared, given, overlay + ": KafkaUser " + name + "'s ACLs are ServiceAccess.grants(" + service + ")");
        }
    }

    @EveryOverlay
    void everyServiceLogsInAsItsOwnKafkaUserOnASecuredCluster(String overlay) {
        Manifests m = Manifests.of(overlay);
        Set<String> users = ManifestsTest.names(m.generic(STRIMZI, "KafkaUser"));
        for (Running r : m.running()) {
            String protocol = r.value("VIGIL_KAFKA_SECURITY_PROTOCOL").orElse("PLAINTEXT");
            if (!protocol.startsWith("SASL")) {
                assertFalse(r.env().containsKey("VIGIL_KAFKA_SASL_JAAS_CONFIG_FILE"), overlay + ": " + r);
                continue;
            }
            assertNotNull(r.service().access, overlay + ": " + r + " has no Vigil user of its own; it needs an admin's");
            String jaas = r.value("VIGIL_KAFKA_SASL_JAAS_CONFIG_FILE").orElseGet(() -> fail(overlay + ": " + r
                    + " speaks SASL without VIGIL_KAFKA_SASL_JAAS_CONFIG_FILE"));
            MountedFile file = m.mountedFile(r.workload(), r.container(), jaas).orElseThrow();
            assertEquals(r.service().access.user(), file.source(), overlay + ": " + r + " logs in as its own user");
            assertEquals("sasl.jaas.config", file.key(), overlay + ": Strimzi's key for the JAAS line");
            if (!users.isEmpty()) {
                assertTrue(users.contains(file.source()), overlay + ": " + r + "'s user " + file.source() + " is a KafkaUser");
            }
        }
        if (!users.isEmpty()) {
            Set<String> needed = new TreeSet<>();
            m.running().forEach(r -> {
                if (r.service().access != null) {
                    needed.add(r.service().access.user());
                }
            });
            assertTrue(users.containsAll(needed), overlay + ": every service that runs has a KafkaUser: " + needed);
        }
    }

    @EveryOverlay
    void strimziResourcesBelongToOneClusterWhoseCaTheServicesTrust(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<GenericKubernetesResource> strimzi = new ArrayList<>(m.generic(STRIMZI, "KafkaTopic"));
        strimzi.addAll(m.generic(STRIMZI, "KafkaUser"));
        Set<String> clusters = new TreeSet<>();
        strimzi.forEach(r -> clusters.add(Optional.ofNullable(r.getMetadata().getLabels()).map(l -> l.get("strimzi.io/cluster"))
                .orElseGet(() -> fail(overlay + ": " + Manifests.name(r) + " has no strimzi.io/cluster label"))));
        if (strimzi.isEmpty()) {
            return;
        }
        assertEquals(1, clusters.size(), overlay + ": one Strimzi cluster: " + clusters);
        String ca = clusters.iterator().next() + "-cluster-ca-cert";
        for (Running r : m.running()) {
            r.value("VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION").ifPresent(path -> assertEquals(ca,
                    m.mountedFile(r.workload(), r.container(), path).orElseThrow().source(),
                    overlay + ": " + r + " trusts the Strimzi cluster's CA"));
        }
    }

    // ---------------------------------------------------------------- helpers

    static GenericKubernetesResource scaledObject(Manifests m) {
        List<GenericKubernetesResource> scaled = m.generic(KEDA, "ScaledObject");
        assertEquals(1, scaled.size(), m.overlay + ": one ScaledObject");
        return scaled.get(0);
    }

    /** Vigil's Strimzi topics by topic name (spec.topicName, else the resource's name). */
    static Map<String, GenericKubernetesResource> strimziTopics(Manifests m) {
        Map<String, GenericKubernetesResource> topics = new TreeMap<>();
        for (GenericKubernetesResource t : m.generic(STRIMZI, "KafkaTopic")) {
            String name = Optional.ofNullable(Manifests.<String>get(t, "spec", "topicName")).orElse(t.getMetadata().getName());
            assertNull(topics.put(name, t), m.overlay + ": topic " + name + " declared twice");
        }
        return topics;
    }

    /** The partitions {@code spec} gets on the overlay's cluster: its KafkaTopic's, else the topics Job's. */
    static int provisionedPartitions(Manifests m, Topics.Spec spec) {
        GenericKubernetesResource topic = strimziTopics(m).get(spec.name());
        if (topic != null) {
            return partitions(topic);
        }
        return m.running(VigilService.TOPICS).stream()
                .map(r -> TopicsCommand.settings(Manifests.settingsOf(r)))
                .filter(c -> c.topics().contains(spec))
                .map(c -> c.layout().partitionsOf(spec)).findFirst()
                .orElseGet(() -> fail(m.overlay + ": nothing provisions " + spec.name()));
    }

    private static int partitions(GenericKubernetesResource topic) {
        return ((Number) Manifests.get(topic, "spec", "partitions")).intValue();
    }

    private static Set<String> topicNames() {
        Set<String> names = new HashSet<>();
        Topics.all().forEach(s -> names.add(s.name()));
        return names;
    }

    private static String secretValue(Manifests m, Map<String, String> ref) {
        Map<String, String> data = m.secret(ref.get("name")).orElseGet(() -> fail(m.overlay + ": KEDA's parameter "
                + ref.get("parameter") + " comes from Secret " + ref.get("name") + ", which the overlay does not define"));
        return Optional.ofNullable(data.get(ref.get("key"))).orElseGet(() -> fail(m.overlay + ": Secret "
                + ref.get("name") + " has no key " + ref.get("key")));
    }

    private static ResourceType resourceType(Map<String, Object> resource) {
        return switch (String.valueOf(resource.get("type"))) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> fail("unknown Strimzi ACL resource type " + resource.get("type"));
        };
    }

    private static PatternType patternType(Map<String, Object> resource) {
        return switch (String.valueOf(resource.getOrDefault("patternType", "literal"))) {
            case "literal" -> PatternType.LITERAL;
            case "prefix" -> PatternType.PREFIXED;
            default -> fail("unknown Strimzi ACL pattern type " + resource.get("patternType"));
        };
    }
}
