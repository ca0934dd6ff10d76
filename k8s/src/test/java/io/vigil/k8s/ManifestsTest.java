package io.vigil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.vigil.bridge.BridgeConfig;
import io.vigil.config.ConnectionCheck;
import io.vigil.config.Settings;
import io.vigil.k8s.Manifests.MountedFile;
import io.vigil.k8s.Manifests.Running;
import io.vigil.k8s.Manifests.Workload;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.topics.TopicsCommand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Every overlay, rendered and checked against the code: names, selectors and ports agree; every
 * {@code VIGIL_*} setting is one its service reads; secrets are files from Secrets; every pod is locked
 * down; the Jobs' failure policies follow the exit codes of the commands they run. Kafka-side checks
 * (KEDA, Strimzi topics and users) are in {@link KafkaResourcesTest}.
 */
class ManifestsTest {

    /** The non-root user of every Vigil image (the root pom's vigil.image.user). */
    static final long IMAGE_USER = 65532;

    // ---------------------------------------------------------------- names, labels, selectors, ports

    @EveryOverlay
    void everyWorkloadSelectsItsOwnPods(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Workload w : m.workloads()) {
            Map<String, String> selector = w.selector() == null ? null : w.selector().getMatchLabels();
            if (w.kind().equals("Job") && selector == null) {
                continue; // Kubernetes sets a Job's selector itself
            }
            assertNotNull(selector, overlay + ": " + w + " has no selector");
            assertTrue(w.podLabels().entrySet().containsAll(selector.entrySet()),
                    overlay + ": " + w + " selects " + selector + " but its pods are labelled " + w.podLabels());
            assertEquals(w.name(), w.podLabels().get("app.kubernetes.io/name"),
                    overlay + ": " + w + "'s pods are named after it (app.kubernetes.io/name)");
        }
    }

    @EveryOverlay
    void everyServiceSelectsThePodsOfAWorkloadOnPortsTheyExpose(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Service service : m.all(Service.class)) {
            List<Workload> selected = m.selectedBy(service.getSpec().getSelector());
            assertFalse(selected.isEmpty(), overlay + ": Service " + service.getMetadata().getName() + " selects "
                    + service.getSpec().getSelector() + ", which no workload's pods carry");
            for (Workload w : selected) {
                for (ServicePort port : service.getSpec().getPorts()) {
                    IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                    assertTrue(containerPort(w, target).isPresent(), overlay + ": Service " + service.getMetadata().getName()
                            + " sends port " + port.getPort() + " to " + target.getValue() + ", which " + w + " does not expose");
                }
            }
        }
    }

    @EveryOverlay
    void theScorerIsAStatefulSetWithItsHeadlessServiceAndADisruptionBudget(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<Running> scorers = m.running(VigilService.SCORER);
        assertEquals(1, scorers.size(), overlay + ": one scorer workload: " + scorers);
        Workload scorer = scorers.get(0).workload();
        assertEquals("StatefulSet", scorer.kind(), overlay + ": the scorer keeps its state on a volume per pod");
        StatefulSet set = m.find(StatefulSet.class, scorer.name()).orElseThrow();

        for (StatefulSet s : m.all(StatefulSet.class)) {
            String serviceName = s.getSpec().getServiceName();
            Service service = m.find(Service.class, serviceName).orElseGet(() -> fail(overlay + ": StatefulSet "
                    + s.getMetadata().getName() + " names Service " + serviceName + ", which is not defined"));
            assertEquals("None", service.getSpec().getClusterIP(), overlay + ": Service " + serviceName + " is headless");
            assertTrue(m.selectedBy(service.getSpec().getSelector()).stream().anyMatch(w -> w.name().equals(s.getMetadata().getName())),
                    overlay + ": headless Service " + serviceName + " selects the pods of " + s.getMetadata().getName());
            assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> "metrics".equals(p.getName())),
                    overlay + ": headless Service " + serviceName + " has the metrics port");
        }
        assertNotNull(set.getSpec().getServiceName(), overlay + ": the scorer StatefulSet names its headless Service");

        List<PodDisruptionBudget> budgets = m.all(PodDisruptionBudget.class);
        for (PodDisruptionBudget pdb : budgets) {
            assertFalse(m.selectedBy(pdb.getSpec().getSelector().getMatchLabels()).isEmpty(),
                    overlay + ": PodDisruptionBudget " + pdb.getMetadata().getName() + " selects no workload's pods");
        }
        PodDisruptionBudget pdb = budgets.stream()
                .filter(b -> m.selectedBy(b.getSpec().getSelector().getMatchLabels()).contains(scorer))
                .findFirst().orElseGet(() -> fail(overlay + ": no PodDisruptionBudget selects the scorer's pods"));
        assertEquals(new IntOrString(1), pdb.getSpec().getMaxUnavailable(), overlay + ": one scorer down at a time");
        assertEquals(List.of(scorer), m.selectedBy(pdb.getSpec().getSelector().getMatchLabels()),
                overlay + ": the scorer's budget selects only scorers");
    }

    @EveryOverlay
    void probesUseContainerPortsThatExistAndTheScorersAreItsHealthAndReadyEndpoints(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Running r : m.running()) {
            for (Probe probe : probes(r.container())) {
                IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                        : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
                if (port != null) {
                    assertTrue(containerPort(r.container(), port).isPresent(),
                            overlay + ": " + r + " probes port " + port.getValue() + ", which it does not expose");
                }
            }
        }
        Container scorer = m.running(VigilService.SCORER).get(0).container();
        assertEquals("/health", scorer.getLivenessProbe().getHttpGet().getPath(), overlay + ": scorer liveness");
        assertEquals("/ready", scorer.getReadinessProbe().getHttpGet().getPath(), overlay + ": scorer readiness");
        assertEquals("/health", scorer.getStartupProbe().getHttpGet().getPath(), overlay + ": scorer start-up");
        for (Probe p : probes(scorer)) {
            assertEquals(metricsPort(m), containerPort(scorer, p.getHttpGet().getPort()).orElseThrow().getContainerPort(),
                    overlay + ": the scorer's probes ask its metrics port");
        }
        for (Running bridge : m.running(VigilService.BRIDGE)) {
            assertEquals("/health", bridge.container().getReadinessProbe().getHttpGet().getPath(),
                    overlay + ": bridge readiness is /health (it needs no token)");
        }
    }

    @EveryOverlay
    void theScorerAndTheBridgeListenOnThePortsTheirCodeDefaultsTo(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Running r : m.running(VigilService.SCORER)) {
            int port = r.value(Settings.envName("metrics.port")).map(Integer::parseInt)
                    .orElse(TopologyConfig.DEFAULT_METRICS_PORT);
            assertEquals(TopologyConfig.DEFAULT_METRICS_PORT, port, overlay + ": the scorer's metrics port is its default");
            assertEquals(port, namedPort(r.container(), "metrics"), overlay + ": " + r + " exposes metrics on " + port);
        }
        int bridgeDefault = BridgeConfig.from(Settings.of(Map.of())).web().port();
        for (Running r : m.running(VigilService.BRIDGE)) {
            int port = r.value(Settings.envName("bridge.port")).map(Integer::parseInt).orElse(bridgeDefault);
            assertEquals(port, namedPort(r.container(), "http"), overlay + ": " + r + " exposes http on " + port);
        }
    }

    @EveryOverlay
    void theScorerClosesWithinItsGracePeriodKeepsStandbysAndRejoinsAsItself(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Running r : m.running(VigilService.SCORER)) {
            TopologyConfig config = TopologyConfig.from(Manifests.settingsOf(r));
            long grace = Objects.requireNonNullElse(r.workload().pod().getTerminationGracePeriodSeconds(), 30L);
            assertTrue(grace * 1000 > config.lifecycle().closeTimeoutMs() + 5_000, overlay + ": " + r
                    + " has " + grace + " s to stop, more than VIGIL_CLOSE_TIMEOUT_MS " + config.lifecycle().closeTimeoutMs()
                    + " ms and a margin for the JVM");
            assertTrue(config.lifecycle().standbyReplicas() >= 1, overlay + ": " + r + " keeps a standby of each task");
            assertEquals("field metadata.name", r.env().get(Settings.envName("group.instance.id")).source(),
                    overlay + ": static membership by pod name");
        }
    }

    // ---------------------------------------------------------------- settings

    @EveryOverlay
    void everyVigilSettingInTheManifestsIsKnownToTheServiceThatGetsIt(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> unknown = new ArrayList<>();
        for (Running r : m.running()) {
            Set<String> keys = r.service().keysRead().keySet();
            for (String name : r.env().keySet()) {
                if (name.startsWith("VIGIL_") && !known(keys, name)) {
                    unknown.add(r + ": " + name + " (from " + r.env().get(name).source() + ")");
                }
            }
        }
        assertEquals(List.of(), unknown, overlay + ": settings given to a service that does not read them "
                + "(a typo, or another service's setting; the service would only warn)");
    }

    @EveryOverlay
    void everyServiceAcceptsTheSettingsItIsGivenAndKnowsThemAll(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Running r : m.running()) {
            Settings settings = Manifests.settingsOf(r);
            try {
                r.service().reader.accept(settings);
            } catch (RuntimeException e) {
                fail(overlay + ": " + r + " would not start with its settings: " + e.getMessage(), e);
            }
            assertEquals(Set.of(), settings.unknownKeys(), overlay + ": " + r + " would warn about these settings");
        }
    }

    @EveryOverlay
    void everyKafkaAndRegistryPassThroughIsAPropertyItsClientKnows(String overlay) {
        Set<String> kafka = new HashSet<>(ProducerConfig.configNames());
        kafka.addAll(ConsumerConfig.configNames());
        kafka.addAll(AdminClientConfig.configNames());
        // What RegistryTls reads of Confluent's schema.registry.ssl.* keys.
        Set<String> registry = Set.of("truststore.location", "truststore.password", "truststore.type",
                "keystore.location", "keystore.password", "keystore.type", "key.password");
        for (Running r : Manifests.of(overlay).running()) {
            for (String name : r.env().keySet()) {
                if (name.startsWith("VIGIL_KAFKA_")) {
                    String property = property(name, "VIGIL_KAFKA_");
                    for (String client : List.of("producer.", "consumer.", "admin.")) {
                        if (property.startsWith(client)) {
                            property = property.substring(client.length());
                        }
                    }
                    if (!kafka.contains(property) && property.endsWith(".file")) {
                        property = property.substring(0, property.length() - ".file".length());
                    }
                    assertTrue(kafka.contains(property), overlay + ": " + r + ": " + name + " passes " + property
                            + " to Kafka's clients, which is none of their properties");
                } else if (name.startsWith("VIGIL_SCHEMA_REGISTRY_SSL_")) {
                    String property = property(name, "VIGIL_SCHEMA_REGISTRY_SSL_");
                    property = property.endsWith(".file") ? property.substring(0, property.length() - 5) : property;
                    assertTrue(registry.contains(property), overlay + ": " + r + ": " + name
                            + " is none of the registry client's TLS settings " + registry);
                }
            }
        }
    }

    @EveryOverlay
    void everySettingReadFromAFileIsAKeyOfAMountedSecret(String overlay) {
        Manifests m = Manifests.of(overlay);
        Set<String> kafkaUsers = names(m.generic("kafka.strimzi.io", "KafkaUser"));
        int checked = 0;
        for (Running r : m.running()) {
            for (Map.Entry<String, Manifests.Value> e : r.env().entrySet()) {
                String name = e.getKey();
                boolean file = name.endsWith("_FILE");
                boolean location = name.endsWith("_LOCATION");
                if (!name.startsWith("VIGIL_") || !(file || location)) {
                    continue;
                }
                String path = e.getValue().value();
                assertNotNull(path, overlay + ": " + r + ": " + name + " is a path, not a reference");
                MountedFile mounted = m.mountedFile(r.workload(), r.container(), path).orElseGet(() -> fail(overlay
                        + ": " + r + ": " + name + "=" + path + " is not inside any volume the container mounts"));
                if (file) {
                    assertEquals("Secret", mounted.kind(), overlay + ": " + r + ": " + name + " reads a secret from "
                            + mounted + ", which is not a Secret volume");
                }
                assertNotNull(mounted.key(), overlay + ": " + r + ": volume " + mounted.volume() + " lists no items: "
                        + "name the keys it projects, so that " + path + " is known to exist");
                assertFalse(mounted.key().isEmpty(), overlay + ": " + r + ": " + path + " is not one of the items of "
                        + mounted.source());
                if (kafkaUsers.contains(mounted.source())) {
                    assertTrue(Set.of("password", "sasl.jaas.config").contains(mounted.key()), overlay + ": " + r + ": "
                            + "a Strimzi SCRAM user's Secret has password and sasl.jaas.config, not " + mounted.key());
                }
                if (mounted.source().endsWith("-cluster-ca-cert")) {
                    assertTrue(Set.of("ca.crt", "ca.p12", "ca.password").contains(mounted.key()), overlay + ": " + r
                            + ": a Strimzi cluster CA Secret has ca.crt, ca.p12 and ca.password, not " + mounted.key());
                }
                checked++;
            }
        }
        assertTrue(checked > 0, overlay + ": the bridge's token at least is read from a file");
    }

    @EveryOverlay
    void everyTrustStoreIsOfATypeItsReaderLoads(String overlay) {
        for (Running r : Manifests.of(overlay).running()) {
            Optional<String> kafkaType = r.value("VIGIL_KAFKA_SSL_TRUSTSTORE_TYPE");
            Optional<String> kafkaStore = r.value("VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION");
            kafkaType.ifPresent(t -> {
                assertTrue(Set.of("PEM", "PKCS12", "JKS").contains(t), overlay + ": " + r + ": Kafka trust store type " + t);
                String store = kafkaStore.orElseGet(() -> fail(overlay + ": " + r + ": a trust store type without a location"));
                assertTrue(t.equals("PEM") == (store.endsWith(".crt") || store.endsWith(".pem")),
                        overlay + ": " + r + ": Kafka trust store " + store + " is not of type " + t);
            });
            r.value("VIGIL_SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE").ifPresent(t -> assertTrue(Set.of("PKCS12", "JKS").contains(t),
                    overlay + ": " + r + ": the registry client loads JKS or PKCS12 trust stores, not " + t));
        }
    }

    // ---------------------------------------------------------------- pods

    @EveryOverlay
    void everyPodRunsAsNonRootWithALockedDownSecurityContext(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Running r : m.running()) {
            PodSecurityContext pod = Objects.requireNonNullElseGet(r.workload().pod().getSecurityContext(), PodSecurityContext::new);
            SecurityContext c = Objects.requireNonNullElseGet(r.container().getSecurityContext(), SecurityContext::new);
            String who = overlay + ": " + r;
            assertEquals(Boolean.TRUE, first(c.getRunAsNonRoot(), pod.getRunAsNonRoot()), who + ": runAsNonRoot");
            assertEquals(IMAGE_USER, first(c.getRunAsUser(), pod.getRunAsUser()), who + ": runAsUser (the image's user)");
            SeccompProfile seccomp = first(c.getSeccompProfile(), pod.getSeccompProfile());
            assertEquals("RuntimeDefault", seccomp == null ? null : seccomp.getType(), who + ": seccompProfile");
            assertEquals(Boolean.FALSE, c.getAllowPrivilegeEscalation(), who + ": allowPrivilegeEscalation");
            assertFalse(Boolean.TRUE.equals(c.getPrivileged()), who + ": privileged");
            assertTrue(c.getCapabilities() != null && c.getCapabilities().getDrop() != null
                    && c.getCapabilities().getDrop().contains("ALL"), who + ": capabilities drop ALL");
            assertTrue(c.getCapabilities().getAdd() == null || c.getCapabilities().getAdd().isEmpty(), who + ": adds no capability");
            assertEquals(Boolean.TRUE, c.getReadOnlyRootFilesystem(), who + ": readOnlyRootFilesystem");
            VolumeMount tmp = r.container().getVolumeMounts() == null ? null : r.container().getVolumeMounts().stream()
                    .filter(v -> v.getMountPath().equals("/tmp")).findFirst().orElse(null);
            assertNotNull(tmp, who + ": a read-only root needs a writable /tmp (the JVM, native libraries)");
            Volume volume = r.workload().pod().getVolumes().stream().filter(v -> v.getName().equals(tmp.getName()))
                    .findFirst().orElseThrow();
            assertNotNull(volume.getEmptyDir(), who + ": /tmp is an emptyDir");
            assertFalse(Boolean.TRUE.equals(r.workload().pod().getHostNetwork()), who + ": hostNetwork");
        }
    }

    @EveryOverlay
    void theBridgeListensOnTheNetworkOnlyWithATokenFromASecretFile(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<Running> bridges = m.running(VigilService.BRIDGE);
        assertFalse(bridges.isEmpty(), overlay + ": the bridge runs");
        for (Running r : bridges) {
            assertEquals(Optional.of("0.0.0.0"), r.value("VIGIL_BRIDGE_HOST"), overlay + ": the bridge listens beyond loopback");
            assertFalse(r.env().containsKey("VIGIL_BRIDGE_AUTH_TOKEN"), overlay + ": the token is not in the environment");
            assertFalse(r.value("VIGIL_BRIDGE_AUTH_OPEN").map(v -> v.equalsIgnoreCase("true")).orElse(false),
                    overlay + ": the dashboard is not served without authentication");
            String path = r.value("VIGIL_BRIDGE_AUTH_TOKEN_FILE").orElseGet(() -> fail(overlay + ": the bridge reads "
                    + "its token from a file (VIGIL_BRIDGE_AUTH_TOKEN_FILE)"));
            MountedFile token = m.mountedFile(r.workload(), r.container(), path).orElseThrow();
            assertEquals("Secret", token.kind(), overlay + ": the bridge's token comes from a Secret");
        }
    }

    @EveryOverlay
    void theMonitorsScrapeMetricsPortsOfVigilPodsAndSendTheBridgesToken(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<GenericKubernetesResource> monitors = m.generic("monitoring.coreos.com", "PodMonitor");
        Set<VigilService> scraped = new TreeSet<>();
        for (GenericKubernetesResource monitor : monitors) {
            Map<String, String> selector = Manifests.get(monitor, "spec", "selector", "matchLabels");
            List<Workload> selected = m.selectedBy(selector);
            assertFalse(selected.isEmpty(), overlay + ": " + Manifests.name(monitor) + " selects no workload's pods");
            List<Map<String, Object>> endpoints = Manifests.get(monitor, "spec", "podMetricsEndpoints");
            assertNotNull(endpoints, overlay + ": " + Manifests.name(monitor) + " has endpoints");
            for (Workload w : selected) {
                for (Running r : m.running().stream().filter(x -> x.workload().equals(w)).toList()) {
                    scraped.add(r.service());
                    for (Map<String, Object> endpoint : endpoints) {
                        String port = (String) endpoint.get("port");
                        assertTrue(containerPort(r.container(), new IntOrString(port)).isPresent(),
                                overlay + ": " + Manifests.name(monitor) + " scrapes port " + port + ", which " + r + " lacks");
                        assertEquals("/metrics", endpoint.get("path"), overlay + ": " + Manifests.name(monitor));
                        if (r.service() == VigilService.BRIDGE) {
                            MountedFile token = m.mountedFile(w, r.container(), r.value("VIGIL_BRIDGE_AUTH_TOKEN_FILE").orElseThrow())
                                    .orElseThrow();
                            @SuppressWarnings("unchecked")
                            Map<String, Object> auth = (Map<String, Object>) endpoint.get("authorization");
                            assertNotNull(auth, overlay + ": the bridge's /metrics needs its token: "
                                    + Manifests.name(monitor) + " must send it (authorization)");
                            assertEquals("Bearer", auth.getOrDefault("type", "Bearer"), overlay + ": bearer token");
                            assertEquals(Map.of("name", token.source(), "key", token.key()), auth.get("credentials"),
                                    overlay + ": " + Manifests.name(monitor) + " sends the Secret key the bridge reads its token from");
                        }
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of(VigilService.SCORER, VigilService.BRIDGE)), scraped,
                overlay + ": the scorer and the bridge are scraped");
    }

    // ---------------------------------------------------------------- jobs and images

    @EveryOverlay
    void theJobsFailAtOnceOnConfigurationErrorsAndRetryWhenTheClusterIsAway(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Job job : m.all(Job.class)) {
            String who = overlay + ": Job " + job.getMetadata().getName();
            assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy(), who + ": restartPolicy "
                    + "Never (a podFailurePolicy needs it)");
            Set<String> containers = new HashSet<>();
            job.getSpec().getTemplate().getSpec().getContainers().forEach(c -> containers.add(c.getName()));
            assertNotNull(job.getSpec().getPodFailurePolicy(), who + " has a podFailurePolicy");
            for (PodFailurePolicyRule rule : job.getSpec().getPodFailurePolicy().getRules()) {
                if (rule.getOnExitCodes() != null) {
                    assertTrue(containers.contains(rule.getOnExitCodes().getContainerName()), who + ": a rule names container "
                            + rule.getOnExitCodes().getContainerName() + ", which the Job does not have");
                    assertEquals("In", rule.getOnExitCodes().getOperator(), who);
                }
            }
            Set<Integer> failJob = exitCodes(job, "FailJob");
            Set<Integer> count = exitCodes(job, "Count");
            assertFalse(failJob.contains(ConnectionCheck.EXIT_UNREACHABLE), who + ": an unreachable cluster is retried");
            assertTrue(failJob.contains(ConnectionCheck.EXIT_REFUSED), who + ": refused credentials fail the Job");
            VigilService service = VigilService.of(job.getSpec().getTemplate().getSpec().getContainers().get(0));
            switch (service) {
                case MODELS -> {
                    // ModelsCli: 0 done, 1 some channel failed, 2 bad usage or data, 3 unreachable, 4 refused.
                    assertEquals(Set.of(2, ConnectionCheck.EXIT_REFUSED), failJob, who + ": FailJob on bad data and refusals");
                    assertTrue(count.containsAll(Set.of(1, ConnectionCheck.EXIT_UNREACHABLE)), who + ": a failed channel "
                            + "and an unreachable cluster retry the index");
                    assertNotNull(job.getSpec().getBackoffLimitPerIndex(), who + ": retried per index");
                }
                case TOPICS -> {
                    assertEquals(Set.of(TopicsCommand.EXIT_INCOMPATIBLE, ConnectionCheck.EXIT_REFUSED), failJob,
                            who + ": FailJob on topics that do not fit and on refusals");
                    assertTrue(count.contains(ConnectionCheck.EXIT_UNREACHABLE), who + ": retried while Kafka is away");
                }
                default -> { }
            }
        }
    }

    @EveryOverlay
    void theTrainingShardCountMatchesTheJobsCompletions(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Running r : m.running(VigilService.MODELS)) {
            Job job = m.find(Job.class, r.workload().name()).orElseThrow();
            if (!"Indexed".equals(job.getSpec().getCompletionMode())) {
                continue;
            }
            assertEquals(Optional.of(Integer.toString(job.getSpec().getCompletions())), r.value("VIGIL_TRAINING_SHARDS"),
                    overlay + ": Job " + job.getMetadata().getName() + ": VIGIL_TRAINING_SHARDS = spec.completions");
        }
    }

    @EveryOverlay
    void everyImageIsOneTheBuildMakesAtTheProjectVersion(String overlay) {
        String version = System.getProperty("vigil.project.version");
        assertNotNull(version, "the pom passes vigil.project.version");
        for (Running r : Manifests.of(overlay).running()) {
            assertEquals(VigilService.REPOSITORY + r.service().image + ":" + version, r.container().getImage(),
                    overlay + ": " + r + " runs the image its module builds, at the project's version");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Whether env name {@code name} is a key of {@code keys} (a dotted key, or a {@code prefix.*}), or its _FILE. */
    static boolean known(Set<String> keys, String name) {
        for (String key : keys) {
            if (key.endsWith("*")) {
                String prefix = Settings.envName(key.substring(0, key.length() - 1));
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    return true;
                }
            } else if (name.equals(Settings.envName(key)) || name.equals(Settings.envName(key) + "_FILE")) {
                return true;
            }
        }
        return false;
    }

    /** {@code VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION} without {@code VIGIL_KAFKA_}: {@code ssl.truststore.location}. */
    private static String property(String envName, String prefix) {
        return envName.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    static Set<String> names(List<GenericKubernetesResource> resources) {
        Set<String> names = new TreeSet<>();
        resources.forEach(r -> names.add(r.getMetadata().getName()));
        return names;
    }

    static Set<Integer> exitCodes(Job job, String action) {
        Set<Integer> codes = new TreeSet<>();
        for (PodFailurePolicyRule rule : job.getSpec().getPodFailurePolicy().getRules()) {
            if (rule.getAction().equals(action) && rule.getOnExitCodes() != null) {
                codes.addAll(rule.getOnExitCodes().getValues());
            }
        }
        return codes;
    }

    private static int metricsPort(Manifests m) {
        return m.running(VigilService.SCORER).get(0).value(Settings.envName("metrics.port")).map(Integer::parseInt)
                .orElse(TopologyConfig.DEFAULT_METRICS_PORT);
    }

    private static List<Probe> probes(Container c) {
        List<Probe> probes = new ArrayList<>();
        for (Probe p : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()}) {
            if (p != null) {
                probes.add(p);
            }
        }
        return probes;
    }

    private static int namedPort(Container c, String name) {
        return containerPort(c, new IntOrString(name)).orElseGet(() -> fail("container " + c.getName()
                + " has no port named " + name)).getContainerPort();
    }

    static Optional<ContainerPort> containerPort(Workload w, IntOrString port) {
        return w.containers().stream().map(c -> containerPort(c, port)).flatMap(Optional::stream).findFirst();
    }

    static Optional<ContainerPort> containerPort(Container c, IntOrString port) {
        if (c.getPorts() == null) {
            return Optional.empty();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                : Objects.equals(port.getIntVal(), p.getContainerPort())).findFirst();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
