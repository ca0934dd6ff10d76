package io.vigil.local.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code server.properties} of the local single-node KRaft broker: one process that is both broker
 * and controller, on loopback only, with every internal topic at replication factor 1.
 */
final class ServerProperties {

    private ServerProperties() {}

    static Map<String, String> forSingleNode(Path logDir, int port, int controllerPort) {
        String plaintext = "PLAINTEXT://127.0.0.1:" + port;
        String controller = "CONTROLLER://127.0.0.1:" + controllerPort;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // Kafka 4.x dynamic quorum: the voter set lives in the metadata log (written by
        // `format --standalone`), so a restart on other ports only updates this node's endpoint.
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", plaintext + "," + controller);
        p.put("advertised.listeners", plaintext + "," + controller);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        // The defaults assume three brokers; with one, groups and transactions never get a coordinator.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
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

    /** Writes {@code k=v} lines; unlike {@code Properties.store} it keeps URLs readable (no {@code \:}). */
    static void write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder("# Written by io.vigil.local.broker.LocalBroker on every start.\n");
        properties.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
