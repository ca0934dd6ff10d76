package io.vigil.local.broker;

import io.vigil.local.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of {@code N} forked nodes, each broker and controller in one JVM of its own (as
 * {@link LocalBroker}), for fault tests: a node can be killed with SIGKILL and restarted on the same
 * ports and data dir while the others keep serving.
 *
 * <p>What it decides: node ids are 1..N; each node has its own two ports (picked once, kept across
 * restarts), its own data dir {@code dataDir/node-<id>} and log {@code logDir/node-<id>.log}, and all
 * share one cluster id. One node is exactly {@link LocalBroker}'s single-node setup (dynamic quorum,
 * replication 1); with more, the controllers form a static quorum of all N, and internal and default
 * replication is {@code min(3, N)} with {@code min.insync.replicas = min(2, N)} (see
 * {@link ServerProperties#forClusterNode}). {@link #start} returns when every node answers and the
 * cluster lists all N brokers. Nothing global is registered: the owner must {@link #close()} it.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    /**
     * Where and how to run the nodes.
     *
     * @param dataDir parent of the nodes' data dirs
     * @param nodes how many nodes (at least 1)
     * @param logDir where each node's log file goes
     */
    public record Options(Path dataDir, int nodes, Path logDir, String classpath, String javaExecutable) {

        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(logDir, "logDir");
            Objects.requireNonNull(classpath, "classpath");
            Objects.requireNonNull(javaExecutable, "javaExecutable");
            if (nodes < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
            }
        }

        /** {@code nodes} nodes under {@code dataDir}, logs beside them, this JVM's classpath and java. */
        public static Options defaults(Path dataDir, int nodes) {
            LocalBroker.Options single = LocalBroker.Options.defaults(dataDir);
            return new Options(dataDir, nodes, dataDir, single.classpath(), single.javaExecutable());
        }
    }

    private final Options options;
    private final int[] ports;
    private final int[] controllerPorts;
    private final String clusterId;
    /** The current process of each node, by node id; a killed node keeps its entry until restarted. */
    private final Map<Integer, LocalBroker> nodes = new TreeMap<>();
    private boolean closed;

    private LocalCluster(Options options, int[] ports, int[] controllerPorts, String clusterId) {
        this.options = options;
        this.ports = ports;
        this.controllerPorts = controllerPorts;
        this.clusterId = clusterId;
    }

    /** Formats and starts every node, waiting up to {@code timeout} until all answer. */
    public static LocalCluster start(Options options, Duration timeout) {
        long t0 = System.nanoTime();
        int n = options.nodes();
        int[] free;
        try {
            free = FreePorts.pick(2 * n);
        } catch (IOException e) {
            throw new UncheckedIOException("no free ports for the cluster", e);
        }
        int[] ports = new int[n];
        int[] controllerPorts = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = free[2 * i];
            controllerPorts[i] = free[2 * i + 1];
        }
        LocalCluster cluster = new LocalCluster(options, ports, controllerPorts, Uuid.randomUuid().toString());
        try {
            // Formats run in parallel (a JVM each); a quorum only forms once a majority of nodes runs.
            List<Thread> launchers = new ArrayList<>();
            List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int id = 1; id <= n; id++) {
                int nodeId = id;
                Thread t = new Thread(() -> {
                    try {
                        LocalBroker node = cluster.launch(nodeId, t0);
                        synchronized (cluster) {
                            cluster.nodes.put(nodeId, node);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }, "launch-node-" + id);
                t.start();
                launchers.add(t);
            }
            for (Thread t : launchers) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            long deadline = t0 + timeout.toNanos();
            for (LocalBroker node : cluster.liveNodes()) {
                node.awaitReady(deadline);
            }
            cluster.awaitBrokers(n, deadline);
            log.info("Kafka cluster of {} node(s) ready at {} in {} ms", n, cluster.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            return cluster;
        } catch (InterruptedException e) {
            cluster.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Kafka cluster", e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private LocalBroker launch(int nodeId, long t0) {
        Path dataDir = options.dataDir().resolve("node-" + nodeId).toAbsolutePath();
        LocalBroker.Options node = new LocalBroker.Options(dataDir, port(nodeId), controllerPorts[nodeId - 1],
                options.logDir().resolve("node-" + nodeId + ".log"), options.classpath(), options.javaExecutable());
        Path logDir = dataDir.resolve("kafka-logs");
        try {
            if (options.nodes() == 1) {
                return LocalBroker.launch(node, port(nodeId), controllerPorts[0],
                        ServerProperties.forSingleNode(logDir, port(nodeId), controllerPorts[0]), clusterId,
                        List.of("--standalone"), t0);
            }
            return LocalBroker.launch(node, port(nodeId), controllerPorts[nodeId - 1],
                    ServerProperties.forClusterNode(nodeId, logDir, port(nodeId), controllerPorts), clusterId,
                    List.of(), t0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka node " + nodeId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka node " + nodeId, e);
        }
    }

    /** Every node's PLAINTEXT address, comma-separated, for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ports.length; i++) {
            b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports[i]);
        }
        return b.toString();
    }

    /** The cluster id all nodes were formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /** Node ids, 1..N. */
    public List<Integer> nodeIds() {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= ports.length; id++) {
            ids.add(id);
        }
        return ids;
    }

    /** The client port of a node; the same across restarts. */
    public int port(int nodeId) {
        return ports[index(nodeId)];
    }

    /** The current (or last) process of a node. */
    public synchronized LocalBroker node(int nodeId) {
        index(nodeId);
        return nodes.get(nodeId);
    }

    /** Whether the node's JVM runs. */
    public synchronized boolean isAlive(int nodeId) {
        LocalBroker node = nodes.get(nodeId);
        return node != null && node.isAlive();
    }

    /** Kills a node with SIGKILL, as a crash would, and waits until its JVM is gone. */
    public void kill(int nodeId) {
        node(nodeId).kill();
    }

    /**
     * Starts a stopped or killed node again on its own ports and data dir (recovering its logs), and
     * waits up to {@code timeout} until it answers and the cluster lists all N brokers again.
     */
    public void restart(int nodeId, Duration timeout) {
        long t0 = System.nanoTime();
        LocalBroker old = node(nodeId);
        if (old != null && old.isAlive()) {
            throw new IllegalStateException("node " + nodeId + " is still running (pid " + old.pid() + ")");
        }
        LocalBroker node = launch(nodeId, t0);
        synchronized (this) {
            nodes.put(nodeId, node);
        }
        try {
            node.awaitReady(t0 + timeout.toNanos());
            awaitBrokers(ports.length, t0 + timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting Kafka node " + nodeId, e);
        }
    }

    /**
     * Waits until every partition of every topic has its full replica set in sync (after a node came
     * back, say); returns false if that does not happen within {@code timeout}.
     */
    public boolean awaitFullyReplicated(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    var names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                            .names().get(5, TimeUnit.SECONDS);
                    Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                            .get(5, TimeUnit.SECONDS);
                    boolean inSync = topics.values().stream().flatMap(t -> t.partitions().stream())
                            .allMatch(LocalCluster::fullyInSync);
                    if (inSync) {
                        return true;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // a node that is coming back answers late; the deadline bounds the wait
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    private static boolean fullyInSync(TopicPartitionInfo p) {
        return p.leader() != null && !p.leader().isEmpty() && p.isr().size() == p.replicas().size();
    }

    /** Stops every running node with SIGTERM (killing those that do not stop in 15 s). Idempotent. */
    @Override
    public void close() {
        List<LocalBroker> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = new ArrayList<>(nodes.values());
        }
        // In parallel: a node stopping alone waits for a controller quorum the others have left.
        List<Thread> stoppers = new ArrayList<>();
        for (LocalBroker node : running) {
            Thread t = new Thread(node::close, "stop-node-" + node.port());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(LocalBroker::kill);
                return;
            }
        }
    }

    private synchronized List<LocalBroker> liveNodes() {
        return nodes.values().stream().filter(LocalBroker::isAlive).toList();
    }

    private void awaitBrokers(int expected, long deadlineNanos) throws InterruptedException {
        try (Admin admin = admin()) {
            while (true) {
                try {
                    int seen = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                            .get(4, TimeUnit.SECONDS).size();
                    if (seen >= expected) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not yet
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException("the cluster at " + bootstrapServers() + " did not list "
                            + expected + " brokers in time; node logs in " + options.logDir());
                }
                Thread.sleep(200);
            }
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    }

    private int index(int nodeId) {
        if (nodeId < 1 || nodeId > ports.length) {
            throw new IllegalArgumentException("no node " + nodeId + " in a cluster of " + ports.length);
        }
        return nodeId - 1;
    }
}
