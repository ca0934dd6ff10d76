package io.vigil.k8s;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One overlay as {@code kubectl kustomize} renders it, parsed with fabric8: built-in kinds as their
 * typed models, custom resources (KEDA, Strimzi, Prometheus Operator) as generic resources.
 */
final class Manifests {

    /** The k8s/ folder (set by the pom; the module's base directory otherwise). */
    static final Path K8S = Path.of(System.getProperty("vigil.k8s.dir", ".")).toAbsolutePath().normalize();

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    /** A pod-running resource: its kind, name, selector and pod template. */
    record Workload(String kind, String name, LabelSelector selector, PodTemplateSpec template) {
        PodSpec pod() {
            return template.getSpec();
        }

        Map<String, String> podLabels() {
            Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }

        List<Container> containers() {
            List<Container> all = new ArrayList<>(pod().getContainers());
            if (pod().getInitContainers() != null) {
                all.addAll(pod().getInitContainers());
            }
            return all;
        }

        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

    /** Where an environment variable's value comes from, and the value when the render shows it. */
    record Value(String value, String source) {}

    final String overlay;
    final List<HasMetadata> resources;

    private Manifests(String overlay, List<HasMetadata> resources) {
        this.overlay = overlay;
        this.resources = List.copyOf(resources);
    }

    /** Every overlay under k8s/overlays: a new one is checked without being listed anywhere. */
    static Stream<String> overlays() throws java.io.IOException {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            if (names.isEmpty()) {
                fail("no overlays under " + K8S.resolve("overlays"));
            }
            return names.stream();
        }
    }

    /** The rendered overlay, rendered once per test run. */
    static Manifests of(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> parse(o, Kubectl.kustomize(K8S.resolve("overlays").resolve(o))));
    }

    static Manifests parse(String overlay, String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.isBlank()) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (!(parsed instanceof HasMetadata resource)) {
                return fail(overlay + ": a document that is not a Kubernetes resource: " + document);
            }
            resources.add(resource);
        }
        if (resources.isEmpty()) {
            fail(overlay + " renders nothing");
        }
        return new Manifests(overlay, resources);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Custom resources of {@code kind} (KEDA, Strimzi, Prometheus Operator). */
    List<GenericKubernetesResource> generic(String apiGroup, String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals(kind) && r.getApiVersion().startsWith(apiGroup + "/")).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    Optional<GenericKubernetesResource> findGeneric(String apiGroup, String kind, String name) {
        return generic(apiGroup, kind).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        all(StatefulSet.class).forEach(s -> out.add(new Workload("StatefulSet", s.getMetadata().getName(),
                s.getSpec().getSelector(), s.getSpec().getTemplate())));
        all(Deployment.class).forEach(d -> out.add(new Workload("Deployment", d.getMetadata().getName(),
                d.getSpec().getSelector(), d.getSpec().getTemplate())));
        all(Job.class).forEach(j -> out.add(new Workload("Job", j.getMetadata().getName(),
                j.getSpec().getSelector(), j.getSpec().getTemplate())));
        return out;
    }

    Workload workload(String kind, String name) {
        return workloads().stream().filter(w -> w.kind().equals(kind) && w.name().equals(name)).findFirst()
                .orElseGet(() -> fail(overlay + " has no " + kind + " " + name));
    }

    /** The workloads whose pods {@code selector} selects (matchLabels; matchExpressions are not used here). */
    List<Workload> selectedBy(Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return workloads().stream().filter(w -> w.podLabels().entrySet().containsAll(selector.entrySet())).toList();
    }

    /** A ConfigMap by the name a pod refers to it with (after Kustomize's hash suffix). */
    Map<String, String> configMap(String name) {
        ConfigMap map = find(ConfigMap.class, name).orElseGet(() -> fail(overlay + ": ConfigMap " + name
                + " is referred to but not defined"));
        return map.getData() == null ? Map.of() : map.getData();
    }

    /** A ConfigMap by the name it was generated under (vigil-topics for vigil-topics-5h2...). */
    Optional<Map<String, String>> generatedConfigMap(String generatorName) {
        return all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().matches(Pattern.quote(generatorName) + "(-[a-z0-9]{10})?"))
                .findFirst().map(c -> c.getData() == null ? Map.of() : c.getData());
    }

    /** The data of a Secret the render defines (generated ones), decoded. */
    Optional<Map<String, String>> secret(String name) {
        return find(Secret.class, name).map(s -> {
            Map<String, String> data = new LinkedHashMap<>();
            if (s.getData() != null) {
                s.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (s.getStringData() != null) {
                data.putAll(s.getStringData());
            }
            return data;
        });
    }

    /**
     * The container's environment as the kubelet would set it: envFrom ConfigMaps first, then env
     * entries over them. Values from the render (literals, ConfigMap keys) are resolved; field and
     * Secret references are kept as their source.
     */
    Map<String, Value> environment(Container container) {
        Map<String, Value> env = new LinkedHashMap<>();
        if (container.getEnvFrom() != null) {
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    String name = from.getConfigMapRef().getName();
                    String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
                    configMap(name).forEach((k, v) -> env.put(prefix + k, new Value(v, "configMap " + name)));
                } else if (from.getSecretRef() != null) {
                    fail(overlay + ": container " + container.getName() + " takes all of Secret "
                            + from.getSecretRef().getName() + " as environment; mount secrets as files instead");
                }
            }
        }
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                if (var.getValueFrom() == null) {
                    env.put(var.getName(), new Value(Objects.requireNonNullElse(var.getValue(), ""), "literal"));
                } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                    String name = var.getValueFrom().getConfigMapKeyRef().getName();
                    String key = var.getValueFrom().getConfigMapKeyRef().getKey();
                    String value = configMap(name).get(key);
                    assertNotNull(value, overlay + ": " + var.getName() + " refers to key " + key + " that ConfigMap "
                            + name + " does not have");
                    env.put(var.getName(), new Value(value, "configMap " + name));
                } else if (var.getValueFrom().getFieldRef() != null) {
                    env.put(var.getName(), new Value(null, "field " + var.getValueFrom().getFieldRef().getFieldPath()));
                } else if (var.getValueFrom().getSecretKeyRef() != null) {
                    env.put(var.getName(), new Value(null, "secret " + var.getValueFrom().getSecretKeyRef().getName()
                            + "/" + var.getValueFrom().getSecretKeyRef().getKey()));
                } else {
                    env.put(var.getName(), new Value(null, "resource field"));
                }
            }
        }
        return env;
    }

    /** A file a container sees, and the Secret or ConfigMap key it comes from. */
    record MountedFile(String volume, String kind, String source, String key) {}

    /**
     * Where {@code path} comes from in {@code container}: the volume mounted at its directory, and the key
     * projected to that file (every Secret volume here lists its items, so the file name is checked).
     */
    Optional<MountedFile> mountedFile(Workload w, Container container, String path) {
        if (container.getVolumeMounts() == null) {
            return Optional.empty();
        }
        for (VolumeMount mount : container.getVolumeMounts()) {
            String dir = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (!path.startsWith(dir)) {
                continue;
            }
            String relative = path.substring(dir.length());
            Volume volume = w.pod().getVolumes() == null ? null : w.pod().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst().orElse(null);
            if (volume == null) {
                continue;
            }
            if (volume.getSecret() != null) {
                var items = volume.getSecret().getItems();
                String key = items == null || items.isEmpty() ? null : items.stream()
                        .filter(i -> i.getPath().equals(relative)).map(i -> i.getKey()).findFirst().orElse("");
                return Optional.of(new MountedFile(volume.getName(), "Secret", volume.getSecret().getSecretName(), key));
            }
            if (volume.getConfigMap() != null) {
                var items = volume.getConfigMap().getItems();
                String key = items == null || items.isEmpty() ? null : items.stream()
                        .filter(i -> i.getPath().equals(relative)).map(i -> i.getKey()).findFirst().orElse("");
                return Optional.of(new MountedFile(volume.getName(), "ConfigMap", volume.getConfigMap().getName(), key));
            }
            return Optional.of(new MountedFile(volume.getName(), "other", volume.getName(), null));
        }
        return Optional.empty();
    }

    /** A container of a workload, the Vigil process it runs and its environment. */
    record Running(Workload workload, Container container, VigilService service, Map<String, Value> env) {
        /** A setting's value as this container gets it, if the render shows it. */
        Optional<String> value(String envName) {
            return Optional.ofNullable(env.get(envName)).map(Value::value);
        }

        @Override
        public String toString() {
            return workload + " container " + container.getName() + " (" + service + ")";
        }
    }

    /** Every container of every workload, with the Vigil process it runs. */
    List<Running> running() {
        List<Running> out = new ArrayList<>();
        for (Workload w : workloads()) {
            for (Container c : w.containers()) {
                out.add(new Running(w, c, VigilService.of(c), environment(c)));
            }
        }
        return out;
    }

    List<Running> running(VigilService service) {
        return running().stream().filter(r -> r.service() == service).toList();
    }

    /**
     * The settings the container's process would see: its {@code VIGIL_*} environment, with field and
     * Secret references given placeholder values and every {@code _FILE} pointed at a file holding a
     * placeholder secret (the real ones are mounted at run time).
     */
    static io.vigil.config.Settings settingsOf(Running r) {
        Map<String, String> env = new LinkedHashMap<>();
        r.env().forEach((name, value) -> {
            if (!name.startsWith("VIGIL_")) {
                return;
            }
            String v = value.value() != null ? value.value() : r.workload().name() + "-0";
            if (name.endsWith("_FILE")) {
                try {
                    Path file = Files.createTempFile("vigil-secret", ".txt");
                    file.toFile().deleteOnExit();
                    Files.writeString(file, "placeholder-secret-0123456789abcdef\n", StandardCharsets.UTF_8);
                    v = file.toString();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            env.put(name, v);
        });
        return new io.vigil.config.Settings(new java.util.Properties(), env);
    }

    /** A nested value of a custom resource: {@code get(r, "spec", "triggers", 0, "metadata")}. */
    @SuppressWarnings("unchecked")
    static <T> T get(GenericKubernetesResource r, Object... path) {
        Object current = r.getAdditionalProperties();
        for (Object step : path) {
            if (current instanceof Map<?, ?> map && step instanceof String key) {
                current = map.get(key);
            } else if (current instanceof List<?> list && step instanceof Integer i) {
                current = i < list.size() ? list.get(i) : null;
            } else {
                return null;
            }
        }
        return (T) current;
    }

    static String name(HasMetadata r) {
        return r.getKind() + " " + r.getMetadata().getName();
    }
}
