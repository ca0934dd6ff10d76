package io.vigil.local.faults;

import io.vigil.local.FreePorts;
import io.vigil.local.ServiceProcess;
import io.vigil.local.broker.LocalCluster;
import io.vigil.local.registry.LocalSchemaRegistry;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * One fault test's world: a forked KRaft cluster (1 or 3 nodes), the local schema registry on a free
 * port of this JVM, Vigil's topics, and scorer JVMs started as the local stack starts them (the
 * topology module's build output and runtime classpath). Closing it stops everything it started.
 */
final class FaultStack implements AutoCloseable {

    /** The checkout: failsafe runs in the module's directory. */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    final LocalCluster cluster;
    final int partitions;
    final short replication;
    private final LocalSchemaRegistry registry;
    private final Admin admin;
    private final List<Scorer> scorers = new ArrayList<>();

    private FaultStack(Path dir, LocalCluster cluster, LocalSchemaRegistry registry, Admin admin, int partitions,
                       short replication) {
        this.dir = dir;
        this.cluster = cluster;
        this.registry = registry;
        this.admin = admin;
        this.partitions = partitions;
        this.replication = replication;
    }

    /**
     * Starts {@code nodes} brokers and the registry and creates every topic with {@code partitions}
     * partitions, replicated on min(3, nodes) brokers (min.insync.replicas 2 with three: the brokers'
     * default).
     */
    static FaultStack start(Path dir, int nodes, int partitions) throws InterruptedException {
        LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults(dir.resolve("kafka"), nodes),
                Duration.ofSeconds(120));
        LocalSchemaRegistry registry = null;
        Admin admin = null;
        try {
            short replication = (short) Math.min(3, nodes);
            admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
            // _schemas too, before the registry would create it with one replica.
            new TopicProvisioner(admin).ensure(Topics.all(), partitions, replication, Duration.ofSeconds(60));
            awaitServed(admin, partitions, Duration.ofSeconds(60));
            registry = LocalSchemaRegistry.start(cluster.bootstrapServers(), 0);
            return new FaultStack(dir, cluster, registry, admin, partitions, replication);
        } catch (RuntimeException | InterruptedException e) {
            if (admin != null) {
                admin.close();
            }
            if (registry != null) {
                registry.close();
            }
            cluster.close();
            throw e;
        }
    }

    /**
     * Waits until the leader of every partition answers for it. A leader in the metadata is not enough:
     * an idempotent producer that wrote at once was seen (here, on one broker) to get NOT_LEADER and then
     * retry OUT_OF_ORDER_SEQUENCE_NUMBER for ever; a ListOffsets goes to the leader and fails the same way
     * until the broker has taken the partition on.
     */
    private static void awaitServed(Admin admin, int partitions, Duration timeout) throws InterruptedException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
        for (Topics.Spec spec : Topics.all()) {
            for (int p = 0; p < (spec.equals(Topics.SCHEMAS) ? 1 : partitions); p++) {
                request.put(new org.apache.kafka.common.TopicPartition(spec.name(), p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions not served after " + timeout, e);
                }
                Thread.sleep(100);
            }
        }
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    Admin admin() {
        return admin;
    }

    /**
     * Starts a scorer JVM in application {@code applicationId}, with its own state dir and metrics port,
     * stream-time liveness (the input's heartbeats are in the past), a short baseline warm-up so the
     * baseline's threshold is exercised, and {@code settings} ({@code VIGIL_*} names) on top.
     */
    Scorer startScorer(String name, String applicationId, Map<String, String> settings) throws IOException {
        int metricsPort = FreePorts.pick(1)[0];
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_APPLICATION_ID", applicationId);
        env.put("VIGIL_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("VIGIL_SCHEMA_REGISTRY_URL", registryUrl());
        env.put("VIGIL_STATE_DIR", dir.resolve("state").resolve(name).toString());
        env.put("VIGIL_METRICS_PORT", Integer.toString(metricsPort));
        env.put("VIGIL_REPLICATION_FACTOR", Short.toString(replication));
        env.put("VIGIL_LIVENESS_TIME_MODE", "stream-time");
        env.put("VIGIL_BASELINE_WARMUP", "20");
        env.putAll(settings);
        ServiceProcess process = ServiceProcess.start(name, REPO, "topology", "io.vigil.topology.ScorerApp",
                List.of("-Xmx384m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector",
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil.avro"),
                env, List.of(), logDir());
        Scorer scorer = new Scorer(name, process, metricsPort);
        synchronized (scorers) {
            scorers.add(scorer);
        }
        return scorer;
    }

    Path logDir() throws IOException {
        return java.nio.file.Files.createDirectories(dir.resolve("logs"));
    }

    /** A running scorer JVM. */
    record Scorer(String name, ServiceProcess process, int metricsPort) {

        /** HTTP status of {@code path} on the metrics port, or -1 if nothing answers. */
        int status(String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        /**
         * Ready when {@code /ready} says 200; a scorer without that endpoint yet (404) counts as ready
         * once it serves metrics, and the caller waits for the group instead.
         */
        boolean ready() {
            int status = status("/ready");
            return status == 200 || status == 404;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        void kill() {
            if (!process.kill()) {
                throw new AssertionError(name + " survived SIGKILL");
            }
        }

        /** SIGTERM; whether it exited by itself within {@code grace}. */
        boolean stop(Duration grace) {
            return process.stop(grace);
        }
    }

    /** Members of a Streams application's group: member id to its telemetry partitions. */
    record Group(GroupState state, Map<String, Set<Integer>> members) {

        boolean stableWith(int count) {
            return state == GroupState.STABLE && members.size() == count
                    && members.values().stream().noneMatch(Set::isEmpty);
        }
    }

    Group group(String applicationId) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(applicationId)).all()
                    .get(5, TimeUnit.SECONDS).get(applicationId);
            Map<String, Set<Integer>> members = new java.util.TreeMap<>();
            for (MemberDescription m : d.members()) {
                Set<Integer> partitions = new TreeSet<>();
                m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(Topics.TELEMETRY.name()))
                        .forEach(tp -> partitions.add(tp.partition()));
                members.put(m.consumerId(), partitions);
            }
            return new Group(d.groupState(), members);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Group(GroupState.UNKNOWN, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Group(GroupState.UNKNOWN, Map.of());
        }
    }

    /** Waits until the scorers are ready and their group is stable with one member each. */
    Group awaitGroup(String applicationId, List<Scorer> members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Scorer s : members) {
                if (!s.isAlive()) {
                    throw new AssertionError(s.name() + " exited (code " + s.process().exitValue() + "); see "
                            + s.process().logFile());
                }
            }
            Group g = group(applicationId);
            if (g.stableWith(members.size()) && members.stream().allMatch(Scorer::ready)) {
                return g;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group " + applicationId + " not stable with " + members.size()
                        + " members in " + timeout + ": " + g);
            }
            Thread.sleep(200);
        }
    }

    /** Checks {@code condition} every {@code everyMs}, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, long everyMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(everyMs);
        }
    }

    @Override
    public void close() {
        List<Scorer> running;
        synchronized (scorers) {
            running = new ArrayList<>(scorers);
        }
        running.forEach(s -> s.stop(Duration.ofSeconds(20)));
        registry.close();
        admin.close(Duration.ofSeconds(5));
        cluster.close();
    }
}
