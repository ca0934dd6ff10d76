package io.vigil.topology.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.config.ConnectionCheck;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.topology.it.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The {@code topics} command against a real (in-process) broker. */
class TopicsCommandTest {

    /** Vigil's topics without the registry's, which the command leaves to the registry by default. */
    private static final List<Topics.Spec> PROVISIONED = Topics.all().stream()
            .filter(s -> !s.equals(Topics.SCHEMAS)).toList();

    private record Run(int status, List<String> out, String err) {}

    private static Run run(Map<String, String> settings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> properties = new HashMap<>();
        settings.forEach((k, v) -> properties.put("vigil." + k, v));
        int status = TopicsCommand.run(Settings.of(properties), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return new Run(status, lines, err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> settings(EmbeddedKafka kafka, int partitions) {
        return Map.of("bootstrap.servers", kafka.bootstrapServers(), "topics.partitions", Integer.toString(partitions),
                "replication.factor", "1", "connection.check.timeout.ms", "20000");
    }

    /** Partitions, topic id and the configuration Vigil sets, per existing topic. */
    private static Map<String, String> state(Admin admin) throws Exception {
        Set<String> names = admin.listTopics().names().get();
        Map<String, String> state = new TreeMap<>();
        if (names.isEmpty()) {
            return state;
        }
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
        for (String name : names) {
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            state.put(name, "partitions=" + described.get(name).partitions().size()
                    + " id=" + described.get(name).topicId()
                    + " " + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()
                    + " " + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG + "=" + c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()
                    + " " + TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG + "="
                    + c.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG).value());
        }
        return state;
    }

    @Test
    void theFirstRunCreatesEveryTopicAndTheSecondChangesNothing() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Run first = run(settings(kafka, 3));
            assertEquals(0, first.status(), first.err());
            assertEquals(PROVISIONED.stream().map(s -> s.name() + ": created, 3 partitions, replication 1, "
                    + (s.compacted() ? "compact" : "delete")).toList(), first.out());

            Map<String, String> created = state(admin);
            assertEquals(PROVISIONED.stream().map(Topics.Spec::name).collect(Collectors.toSet()), created.keySet());
            for (Topics.Spec spec : PROVISIONED) {
                String s = created.get(spec.name());
                assertTrue(s.startsWith("partitions=3 "), s);
                assertTrue(s.contains("cleanup.policy=" + (spec.compacted() ? "compact" : "delete")), s);
                assertTrue(s.contains("min.insync.replicas=1"), s);
                assertTrue(s.contains("message.timestamp.after.max.ms=" + Long.MAX_VALUE), s);
            }

            Run second = run(settings(kafka, 3));
            assertEquals(0, second.status(), second.err());
            assertEquals(PROVISIONED.stream().map(s -> s.name() + ": exists, 3 partitions, replication 1, "
                    + (s.compacted() ? "compact" : "delete")).toList(), second.out());
            assertEquals(created, state(admin), "the second run left every topic as it was (same ids, same config)");
        }
    }

    @Test
    void aPreExistingScoresTopicWithAnotherPartitionCountIsRefusedAndNothingIsCreated() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.SCORES.name(), 2, (short) 1))).all().get();

            Run refused = run(settings(kafka, 3));
            assertEquals(TopicsCommand.EXIT_INCOMPATIBLE, refused.status(), refused.out() + refused.err());
            assertEquals(1, refused.err().lines().count(), "one line: " + refused.err());
            assertTrue(refused.err().contains("vigil.scores has partitions 2, 3 required"), refused.err());
            assertTrue(refused.err().contains("must share one partition count; the existing ones all have 2"),
                    refused.err());
            assertEquals(Set.of(Topics.SCORES.name()), admin.listTopics().names().get(), "nothing was created");

            // A compacted topic that deletes is named too, beside the partition count.
            admin.createTopics(List.of(new NewTopic(Topics.MODELS.name(), 3, (short) 1))).all().get();
            Run both = run(settings(kafka, 3));
            assertEquals(TopicsCommand.EXIT_INCOMPATIBLE, both.status());
            assertTrue(both.err().contains("vigil.scores has partitions 2, 3 required"), both.err());
            assertTrue(both.err().contains("vigil.models has cleanup.policy delete, compact required"), both.err());

            // With the count the existing channel-keyed topic has, it is adopted; the models topic still is not.
            Run adopted = run(settings(kafka, 2));
            assertEquals(TopicsCommand.EXIT_INCOMPATIBLE, adopted.status());
            assertFalse(adopted.err().contains("vigil.scores has"), adopted.err());
            assertTrue(adopted.err().contains("vigil.models has partitions 3, 2 required"), adopted.err());
        }
    }

    @Test
    void anUnreachableClusterExitsWithTheConnectionChecksStatus() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run(Map.of("bootstrap.servers", "127.0.0.1:" + port, "connection.check.timeout.ms", "1500"));
        assertEquals(ConnectionCheck.EXIT_UNREACHABLE, run.status(), run.err());
        assertTrue(run.err().startsWith("topics: Kafka at 127.0.0.1:" + port), run.err());
        assertEquals(List.of(), run.out());
    }

    @Test
    void settingsThatCannotWorkAreRefusedBeforeConnecting() {
        Run run = run(Map.of("bootstrap.servers", "127.0.0.1:1", "replication.factor", "1",
                "topics.min.insync.replicas", "2"));
        assertEquals(TopicsCommand.EXIT_INCOMPATIBLE, run.status());
        assertTrue(run.err().contains("min.insync.replicas"), run.err());
    }

    @Test
    void theMinimumInSyncReplicasDefaultsToTwoOrTheReplicationFactor() {
        assertEquals(1, TopicsCommand.settings(Settings.of(Map.of())).layout().minInsyncReplicas());
        assertEquals(2, TopicsCommand.settings(Settings.of(Map.of("vigil.replication.factor", "3")))
                .layout().minInsyncReplicas());
        assertEquals(12, TopicsCommand.settings(Settings.of(Map.of())).layout().partitions());
        assertFalse(TopicsCommand.settings(Settings.of(Map.of())).topics().contains(Topics.SCHEMAS));
        assertTrue(TopicsCommand.settings(Settings.of(Map.of("vigil.topics.schemas", "true"))).topics()
                .contains(Topics.SCHEMAS));
    }
}
