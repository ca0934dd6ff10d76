package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.TopicProvisioner.Existing;
import io.vigil.schemas.TopicProvisioner.Layout;
import io.vigil.schemas.TopicProvisioner.Mismatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The provisioner's judgement of existing topics, without a broker (TopicsCommandTest runs it against one). */
class TopicProvisionerTest {

    private static final Layout LAYOUT = new Layout(12, (short) 3, 2);

    private static Existing topic(int partitions, String cleanupPolicy) {
        return new Existing(partitions, 3, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy));
    }

    /** Every topic of Vigil as the layout would create it. */
    private static Map<String, Existing> fitting() {
        Map<String, Existing> existing = new HashMap<>();
        for (Topics.Spec spec : Topics.all()) {
            existing.put(spec.name(), topic(LAYOUT.partitionsOf(spec), spec.compacted() ? "compact" : "delete"));
        }
        return existing;
    }

    @Test
    void topicsAsTheLayoutWouldCreateThemFit() {
        assertEquals(List.of(), TopicProvisioner.check(Topics.all(), LAYOUT, fitting()));
    }

    @Test
    void missingTopicsAreNoMismatch() {
        assertEquals(List.of(), TopicProvisioner.check(Topics.all(), LAYOUT, Map.of()));
    }

    @Test
    void aChannelKeyedTopicWithAnotherPartitionCountIsNamedWithActualAndRequiredCounts() {
        Map<String, Existing> existing = fitting();
        existing.put(Topics.SCORES.name(), topic(6, "delete"));
        List<Mismatch> mismatches = TopicProvisioner.check(Topics.all(), LAYOUT, existing);
        assertEquals(List.of(new Mismatch("vigil.scores", "partitions", "6", "12")), mismatches);
        assertEquals("vigil.scores has partitions 6, 12 required", mismatches.get(0).describe());
    }

    @Test
    void channelKeyedTopicsThatAgreeAmongThemselvesButNotWithTheLayoutAreEachNamed() {
        Map<String, Existing> existing = new HashMap<>();
        existing.put(Topics.TELEMETRY.name(), topic(4, "delete"));
        existing.put(Topics.MODELS.name(), topic(4, "compact"));
        List<Mismatch> mismatches = TopicProvisioner.check(Topics.all(), LAYOUT, existing);
        assertEquals(List.of(new Mismatch("vigil.telemetry", "partitions", "4", "12"),
                new Mismatch("vigil.models", "partitions", "4", "12")), mismatches);
    }

    @Test
    void topicsThatAreNotChannelKeyedMayHaveTheirOwnPartitionCount() {
        Map<String, Existing> existing = fitting();
        existing.put(Topics.HEARTBEATS.name(), topic(3, "delete"));
        existing.put(Topics.DEAD_LETTERS.name(), topic(1, "delete"));
        existing.put(Topics.SCHEMAS.name(), topic(1, "compact"));
        assertEquals(List.of(), TopicProvisioner.check(Topics.all(), LAYOUT, existing));
    }

    @Test
    void aCompactedTopicThatDeletesOrAlsoDeletesIsRefused() {
        Map<String, Existing> existing = fitting();
        existing.put(Topics.MODELS.name(), topic(12, "delete"));
        existing.put(Topics.NODE_STATUS.name(), topic(12, "compact,delete"));
        assertEquals(List.of(new Mismatch("vigil.node-status", "cleanup.policy", "compact,delete", "compact"),
                new Mismatch("vigil.models", "cleanup.policy", "delete", "compact")),
                TopicProvisioner.check(Topics.all(), LAYOUT, existing));
    }

    @Test
    void aDataTopicThatIsCompactedIsRefused() {
        Map<String, Existing> existing = fitting();
        existing.put(Topics.TELEMETRY.name(), topic(12, "compact"));
        assertEquals(List.of(new Mismatch("vigil.telemetry", "cleanup.policy", "compact", "delete")),
                TopicProvisioner.check(Topics.all(), LAYOUT, existing));
    }

    @Test
    void aTopicWithoutAnExplicitPolicyDeletes() {
        Map<String, Existing> existing = fitting();
        existing.put(Topics.MODEL_VERSIONS.name(), new Existing(12, 3, Map.of()));
        assertEquals(List.of(new Mismatch("vigil.model-versions", "cleanup.policy", "delete", "compact")),
                TopicProvisioner.check(Topics.all(), LAYOUT, existing));
    }

    @Test
    void theLayoutCreatesEveryTopicWithItsCompactionMinIsrAndTimestampAllowance() {
        Map<String, String> models = LAYOUT.configOf(Topics.MODELS);
        assertEquals("compact", models.get(TopicConfig.CLEANUP_POLICY_CONFIG));
        assertEquals("2", models.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));
        assertEquals(Long.toString(Long.MAX_VALUE), models.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG));
        assertTrue(!LAYOUT.configOf(Topics.TELEMETRY).containsKey(TopicConfig.CLEANUP_POLICY_CONFIG));
        assertEquals(1, LAYOUT.partitionsOf(Topics.SCHEMAS));
        assertEquals(12, LAYOUT.partitionsOf(Topics.HEARTBEATS));
    }

    @Test
    void telemetryLabelsAndDeadLettersAreStampedOnArrivalAndNothingElseIs() {
        for (Topics.Spec spec : Topics.all()) {
            String stamp = LAYOUT.configOf(spec).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            boolean onArrival = spec.equals(Topics.TELEMETRY) || spec.equals(Topics.LABELS)
                    || spec.equals(Topics.DEAD_LETTERS);
            assertEquals(onArrival ? "LogAppendTime" : null, stamp, spec.name());
        }
    }

    @Test
    void anExistingTelemetryTopicStampedByItsProducersIsLeftWithANoteThatRetentionCanDeleteHistory() {
        Map<String, String> config = new HashMap<>(LAYOUT.configOf(Topics.TELEMETRY));
        config.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        List<String> notes = TopicProvisioner.notes(Topics.TELEMETRY, LAYOUT, new Existing(12, 3, config));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("message.timestamp.type is CreateTime, LogAppendTime asked for"), notes.get(0));
        assertTrue(notes.get(0).contains("deleted at the broker's next retention check"), notes.get(0));

        List<String> asCreated = TopicProvisioner.notes(Topics.TELEMETRY, LAYOUT,
                new Existing(12, 3, LAYOUT.configOf(Topics.TELEMETRY)));
        assertEquals(List.of(), asCreated);
        Map<String, String> scores = new HashMap<>(LAYOUT.configOf(Topics.SCORES));
        scores.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        assertEquals(List.of(), TopicProvisioner.notes(Topics.SCORES, LAYOUT, new Existing(12, 3, scores)),
                "scores carry their point's arrival time already");
    }

    @Test
    void aLayoutWithMoreInSyncReplicasThanReplicasIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Layout(12, (short) 1, 2));
        assertTrue(e.getMessage().contains("min.insync.replicas"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Layout(0, (short) 1, 1));
    }
}
