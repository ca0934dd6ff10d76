package io.vigil.local.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code server.properties} of the local KRaft brokers: each process is both broker and controller,
 * on loopback only. A single node has every internal topic at replication factor 1; the nodes of a
 * cluster replicate them.
 */
final class ServerProperties {

    private ServerProperties() {}

    static Map<String, String> forSingleNode(Path logDir, int port, int controllerPort) {
        Map<String, String> p = node(1, logDir, port, controllerPort);
        // Kafka 4.x dynamic quorum: the voter set lives in the metadata log (written by
        // `format --standalone`), so a restart on other ports only updates this node's endpoint.
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        // The defaults assume three brokers; with one, groups and transactions never get a coordinator.
        replication(p, 1, 1);
        return p;
    }

    /**
     * One node of an N-node cluster in which every node is broker and controller: node ids 1..N, a
     * static quorum of all N controllers ({@code controller.quorum.voters}, fixed ports, so a node
     * restarts on the ports it had), internal topics replicated {@code min(3, N)} times with a minimum
     * ISR of {@code min(2, N)}; topics created without a replication factor get N replicas (at most 3)
     * and the same minimum ISR.
     *
     * @param controllerPorts the CONTROLLER port of node {@code i + 1} at index {@code i}
     */
    static Map<String, String> forClusterNode(int nodeId, Path logDir, int port, int[] controllerPorts) {
        Map<String, String> p = node(nodeId, logDir, port, controllerPorts[nodeId - 1]);
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < controllerPorts.length; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts[i]);
        }
        p.put("controller.quorum.voters", voters.toString());
        int replicas = Math.min(3, controllerPorts.length);
        replication(p, replicas, Math.min(2, replicas));
        return p;
    }

    private static Map<String, String> node(int nodeId, Path logDir, int port, int controllerPort) {
        String plaintext = "PLAINTEXT://127.0.0.1:" + port;
        String controller = "CONTROLLER://127.0.0.1:" + controllerPort;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("listeners", plaintext + "," + controller);
        p.put("advertised.listeners", plaintext + "," + controller);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        // 50 partitions per internal topic is sized for a cluster; here it only slows the first group join.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.num.partitions", "4");

        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "4");
        // Topics are provisioned explicitly, so a typo in a topic name fails instead of creating a topic.
        p.put("auto.create.topics.enable", "false");
        // Replays at high speed stamp records with event times far ahead of the clock; the default
        // (one hour) would reject them.
        p.put("log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE));
        // The cleaner allocates its dedupe buffer up front (128 MiB by default) inside a 512 MiB heap.
        p.put("log.cleaner.dedupe.buffer.size", "33554432");
        return p;
    }

    private static void replication(Map<String, String> p, int replicas, int minInSync) {
        String r = Integer.toString(replicas);
        String isr = Integer.toString(minInSync);
        p.put("offsets.topic.replication.factor", r);
        p.put("transaction.state.log.replication.factor", r);
        p.put("transaction.state.log.min.isr", isr);
        p.put("share.coordinator.state.topic.replication.factor", r);
        p.put("share.coordinator.state.topic.min.isr", isr);
        p.put("default.replication.factor", r);
        p.put("min.insync.replicas", isr);
    }

    /** Writes {@code k=v} lines; unlike {@code Properties.store} it keeps URLs readable (no {@code \:}). */
    static void write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder("# Written by io.vigil.local.broker.LocalBroker on every start.\n");
        properties.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
