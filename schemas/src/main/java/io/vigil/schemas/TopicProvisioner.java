package io.vigil.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Vigil's topics and waits until every partition has a leader: producing right after creation
 * was seen to hit NOT_LEADER and then lose data in an endless retry loop.
 *
 * <p>Two ways in. {@link #ensure} (the local stack, tests, benches) creates whatever is missing and
 * leaves existing topics as they are. {@link #provision} (the {@code topics} command, for a real
 * cluster) is idempotent and strict: it creates the missing topics with their partitions, replication,
 * compaction, {@code min.insync.replicas} and the timestamp allowance, leaves existing topics alone when
 * they fit, and refuses, before it creates anything, when existing topics would break Vigil: a
 * channel-keyed topic with another partition count than the others (a channel's points, model and state
 * would no longer meet on one instance), or a topic whose compaction is not what Vigil relies on.
 *
 * <p>Vigil's records carry event time as their timestamp, and a replay at 100x runs ahead of the
 * clock, so data topics accept timestamps any distance in the future (Kafka's default is one hour).
 */
public final class TopicProvisioner {

    /**
     * What Vigil's topics must look like on a cluster: one partition count for every data topic (the
     * channel-keyed ones must share it; heartbeats, node status, dead letters and the versions archive take
     * it too), their replication and {@code min.insync.replicas}. The registry's {@code _schemas} always
     * has one partition.
     */
    public record Layout(int partitions, short replication, int minInsyncReplicas) {
        public Layout {
            if (partitions < 1) {
                throw new IllegalArgumentException("topics need at least one partition, not " + partitions);
            }
            if (replication < 1) {
                throw new IllegalArgumentException("replication factor must be at least 1, not " + replication);
            }
            if (minInsyncReplicas < 1 || minInsyncReplicas > replication) {
                throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor "
                        + replication + ", not " + minInsyncReplicas);
            }
        }

        /** The partition count {@code spec} is created with. */
        public int partitionsOf(Topics.Spec spec) {
            return TopicProvisioner.partitionsOf(spec, partitions);
        }

        /** The topic configuration {@code spec} is created with: {@link #configOf} and {@code min.insync.replicas}. */
        public Map<String, String> configOf(Topics.Spec spec) {
            Map<String, String> config = new HashMap<>(TopicProvisioner.configOf(spec));
            config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
            return config;
        }
    }

    /** What {@link #provision} did with a topic. */
    public enum Outcome { CREATED, EXISTS }

    /**
     * One topic after {@link #provision}: what was done, what it has, and notes on settings of an existing
     * topic that differ from the layout but were left as they are (replication, min ISR, timestamp allowance).
     */
    public record Provisioned(String topic, Outcome outcome, int partitions, int replication, String cleanupPolicy,
                              List<String> notes) {
        public Provisioned {
            notes = List.copyOf(notes);
        }

        /** One line for an operator: {@code vigil.scores: exists, 12 partitions, replication 3, delete}. */
        public String describe() {
            String line = topic + ": " + outcome.name().toLowerCase(java.util.Locale.ROOT) + ", " + partitions
                    + (partitions == 1 ? " partition" : " partitions") + ", replication " + replication + ", "
                    + cleanupPolicy;
            return notes.isEmpty() ? line : line + " (left as is: " + String.join("; ", notes) + ")";
        }
    }

    /** An existing topic that does not fit: which setting, what it is, what Vigil requires. */
    public record Mismatch(String topic, String setting, String actual, String required) {
        public String describe() {
            return topic + " has " + setting + " " + actual + ", " + required + " required";
        }
    }

    /**
     * Existing topics that break co-partitioning or compaction. Nothing was created: the message names
     * each topic with its actual and required partition count or cleanup policy.
     */
    public static final class IncompatibleTopicsException extends IllegalStateException {
        private final List<Mismatch> mismatches;

        IncompatibleTopicsException(List<Mismatch> mismatches, String hint) {
            super("existing topics do not fit Vigil, nothing was created: "
                    + mismatches.stream().map(Mismatch::describe).collect(Collectors.joining("; "))
                    + (hint.isEmpty() ? "" : " (" + hint + ")"));
            this.mismatches = List.copyOf(mismatches);
        }

        public List<Mismatch> mismatches() {
            return mismatches;
        }
    }

    /** What an existing topic has, as far as {@link #check} cares. */
    public record Existing(int partitions, int replication, Map<String, String> config) {
        public Existing {
            config = Map.copyOf(config);
        }

        String cleanupPolicy() {
            return config.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        }
    }

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /**
     * Ensures the given topics exist with {@code partitions} partitions (the registry's own topic gets 1).
     * Existing topics are left as they are, whatever they look like.
     */
    public void ensure(Collection<Topics.Spec> specs, int partitions, short replication, Duration timeout)
            throws InterruptedException {
        Set<String> existing = get(() -> admin.listTopics().names().get());
        List<NewTopic> missing = specs.stream()
                .filter(s -> !existing.contains(s.name()))
                .map(s -> new NewTopic(s.name(), partitionsOf(s, partitions), replication).configs(configOf(s)))
                .toList();
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topics " + missing, e.getCause());
                }
            }
        }
        awaitLeaders(specs.stream().map(Topics.Spec::name).toList(), timeout);
    }

    /**
     * Provisions {@code specs} on a real cluster, idempotently: checks the existing ones first and
     * refuses with {@link IncompatibleTopicsException} (creating nothing) when they break co-partitioning
     * or compaction; then creates the missing ones with the {@code layout}, waits for their leaders and
     * checks again (another provisioner may have created some meanwhile).
     *
     * @return one entry per topic, in the order of {@code specs}
     */
    public List<Provisioned> provision(Collection<Topics.Spec> specs, Layout layout, Duration timeout)
            throws InterruptedException {
        List<String> names = specs.stream().map(Topics.Spec::name).toList();
        Map<String, Existing> before = describe(names);
        throwIfIncompatible(check(specs, layout, before), before);

        List<NewTopic> missing = specs.stream()
                .filter(s -> !before.containsKey(s.name()))
                .map(s -> new NewTopic(s.name(), layout.partitionsOf(s), layout.replication()).configs(layout.configOf(s)))
                .toList();
        Set<String> created = new TreeSet<>();
        if (!missing.isEmpty()) {
            for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get();
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + result.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    // Created by someone else meanwhile: checked below like any existing topic.
                }
            }
        }
        awaitLeaders(names, timeout);
        Map<String, Existing> after = missing.isEmpty() ? before : describe(names);
        throwIfIncompatible(check(specs, layout, after), after);

        List<Provisioned> out = new ArrayList<>();
        for (Topics.Spec spec : specs) {
            Existing topic = after.get(spec.name());
            if (topic == null) {
                throw new IllegalStateException("topic " + spec.name() + " is still missing after it was created");
            }
            boolean isNew = created.contains(spec.name());
            out.add(new Provisioned(spec.name(), isNew ? Outcome.CREATED : Outcome.EXISTS, topic.partitions(),
                    topic.replication(), topic.cleanupPolicy(), isNew ? List.of() : notes(spec, layout, topic)));
        }
        return out;
    }

    /**
     * What keeps the existing topics among {@code specs} from working with Vigil: a channel-keyed topic
     * whose partition count is not the layout's (so the channel-keyed topics would not all share one
     * count), and a topic that is compacted where Vigil needs every record, or not compacted where it
     * needs the latest per key. Missing topics are no mismatch; other partition counts and other
     * settings of topics that are not channel-keyed are left to the operator.
     */
    public static List<Mismatch> check(Collection<Topics.Spec> specs, Layout layout, Map<String, Existing> existing) {
        List<Mismatch> mismatches = new ArrayList<>();
        for (Topics.Spec spec : specs) {
            Existing topic = existing.get(spec.name());
            if (topic == null) {
                continue;
            }
            if (Topics.CHANNEL_KEYED.contains(spec) && topic.partitions() != layout.partitionsOf(spec)) {
                mismatches.add(new Mismatch(spec.name(), "partitions", Integer.toString(topic.partitions()),
                        Integer.toString(layout.partitionsOf(spec))));
            }
            Set<String> policy = policies(topic.cleanupPolicy());
            if (spec.compacted() && !policy.equals(Set.of(TopicConfig.CLEANUP_POLICY_COMPACT))) {
                // compact,delete would also drop a champion model or a node's last status after retention.
                mismatches.add(new Mismatch(spec.name(), "cleanup.policy", topic.cleanupPolicy(),
                        TopicConfig.CLEANUP_POLICY_COMPACT));
            } else if (!spec.compacted() && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                mismatches.add(new Mismatch(spec.name(), "cleanup.policy", topic.cleanupPolicy(),
                        TopicConfig.CLEANUP_POLICY_DELETE));
            }
        }
        return mismatches;
    }

    private static void throwIfIncompatible(List<Mismatch> mismatches, Map<String, Existing> existing) {
        if (mismatches.isEmpty()) {
            return;
        }
        String hint = "";
        if (mismatches.stream().anyMatch(m -> m.setting().equals("partitions"))) {
            hint = "the channel-keyed topics " + Topics.CHANNEL_KEYED.stream().map(Topics.Spec::name)
                    .collect(Collectors.joining(", ")) + " must share one partition count";
            Set<Integer> counts = Topics.CHANNEL_KEYED.stream().map(s -> existing.get(s.name()))
                    .filter(java.util.Objects::nonNull).map(Existing::partitions)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (counts.size() == 1) {
                hint += "; the existing ones all have " + counts.iterator().next()
                        + ": provision with that count to keep them";
            }
        }
        throw new IncompatibleTopicsException(mismatches, hint);
    }

    /** Settings of an existing topic that differ from the layout without breaking Vigil at once. */
    static List<String> notes(Topics.Spec spec, Layout layout, Existing topic) {
        List<String> notes = new ArrayList<>();
        if (!Topics.CHANNEL_KEYED.contains(spec) && topic.partitions() != layout.partitionsOf(spec)) {
            notes.add(layout.partitionsOf(spec) + " partitions asked for");
        }
        if (topic.replication() != layout.replication()) {
            notes.add("replication " + layout.replication() + " asked for");
        }
        String minIsr = topic.config().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        if (minIsr != null && !minIsr.equals(Integer.toString(layout.minInsyncReplicas()))) {
            notes.add("min.insync.replicas is " + minIsr + ", " + layout.minInsyncReplicas() + " asked for");
        }
        String stamp = topic.config().getOrDefault(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                TimestampType.CREATE_TIME.name);
        String onArrival = TimestampType.LOG_APPEND_TIME.name;
        if (Topics.STAMPED_ON_ARRIVAL.contains(spec) && !stamp.equals(onArrival)) {
            notes.add(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + " is " + stamp + ", " + onArrival
                    + " asked for: time retention counts from the records' own times, so records dated older than"
                    + " retention.ms (a replay of history, a backfill) are deleted at the broker's next retention check,"
                    + " possibly before they are read");
        }
        String allowance = configOf(spec).get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
        String actual = topic.config().get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
        if (allowance != null && actual != null && !allowance.equals(actual)) {
            notes.add(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG + " is " + actual
                    + ": records dated further ahead of the broker's clock are refused");
        }
        return notes;
    }

    private static Set<String> policies(String cleanupPolicy) {
        Set<String> policies = new TreeSet<>();
        for (String p : cleanupPolicy.split(",")) {
            if (!p.isBlank()) {
                policies.add(p.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return policies;
    }

    /** The named topics that exist, with their partition count, replication and configuration. */
    private Map<String, Existing> describe(List<String> names) throws InterruptedException {
        Set<String> listed = get(() -> admin.listTopics().names().get());
        List<String> present = names.stream().filter(listed::contains).toList();
        if (present.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> described = get(() -> admin.describeTopics(present).allTopicNames().get());
        List<ConfigResource> resources = present.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = get(() -> admin.describeConfigs(resources).all().get());
        Map<String, Existing> out = new LinkedHashMap<>();
        for (String name : present) {
            TopicDescription d = described.get(name);
            Map<String, String> config = new HashMap<>();
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            if (c != null) {
                for (ConfigEntry entry : c.entries()) {
                    if (entry.value() != null) {
                        config.put(entry.name(), entry.value());
                    }
                }
            }
            int replication = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
            out.put(name, new Existing(d.partitions().size(), replication, config));
        }
        return out;
    }

    /** The registry's {@code _schemas} has one partition (its log is read in order); data topics {@code partitions}. */
    static int partitionsOf(Topics.Spec spec, int partitions) {
        return spec.equals(Topics.SCHEMAS) ? 1 : partitions;
    }

    /**
     * Topic configuration Vigil needs on {@code spec}: compaction, arrival stamps where
     * {@link Topics#STAMPED_ON_ARRIVAL} says so, and the event-time allowance.
     */
    public static Map<String, String> configOf(Topics.Spec spec) {
        Map<String, String> config = new java.util.HashMap<>();
        if (spec.compacted()) {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (Topics.STAMPED_ON_ARRIVAL.contains(spec)) {
            config.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TimestampType.LOG_APPEND_TIME.name);
        }
        if (!spec.equals(Topics.SCHEMAS)) {
            config.put(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));
        }
        return config;
    }

    /**
     * Waits until every partition of the named topics has a leader that answers for it. Metadata can
     * name a leader before that broker has taken the partition on, and a client that comes then is told
     * NOT_LEADER_OR_FOLLOWER (seen once in a test right after creation); a ListOffsets answered for
     * every partition rules that out.
     */
    public void awaitLeaders(Collection<String> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
                if (described.values().stream().allMatch(d -> d.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    described.values().forEach(d -> d.partitions().forEach(
                            p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                    admin.listOffsets(latest).all().get();
                    return;
                }
            } catch (ExecutionException e) {
                // Metadata of a just-created topic can lag behind, and so can its leader; the deadline
                // bounds the wait.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics without a leader after " + timeout + ": " + topics);
            }
            Thread.sleep(100);
        }
    }

    private interface Call<T> {
        T get() throws InterruptedException, ExecutionException;
    }

    private static <T> T get(Call<T> call) throws InterruptedException {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin call failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
