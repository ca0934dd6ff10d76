package io.vigil.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Vigil's topics if they are missing and waits until every partition has a leader: producing
 * right after creation was seen to hit NOT_LEADER and then lose data in an endless retry loop.
 * Existing topics are left as they are.
 *
 * <p>Vigil's records carry event time as their timestamp, and a replay at 100x runs ahead of the
 * clock, so data topics accept timestamps any distance in the future (Kafka's default is one hour).
 */
public final class TopicProvisioner {

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /** Ensures the given topics exist with {@code partitions} partitions (the registry's own topic gets 1). */
    public void ensure(Collection<Topics.Spec> specs, int partitions, short replication, Duration timeout)
            throws InterruptedException {
        Set<String> existing = get(() -> admin.listTopics().names().get());
        List<NewTopic> missing = specs.stream()
                .filter(s -> !existing.contains(s.name()))
                .map(s -> new NewTopic(s.name(), s.equals(Topics.SCHEMAS) ? 1 : partitions, replication)
                        .configs(configOf(s)))
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

    /** Topic configuration Vigil needs on {@code spec}: compaction, and the event-time allowance. */
    public static Map<String, String> configOf(Topics.Spec spec) {
        Map<String, String> config = new java.util.HashMap<>();
        if (spec.compacted()) {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (!spec.equals(Topics.SCHEMAS)) {
            config.put(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));
        }
        return config;
    }

    /** Waits until every partition of the named topics has a leader. */
    public void awaitLeaders(Collection<String> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
                if (described.values().stream().allMatch(d -> d.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                    return;
                }
            } catch (ExecutionException e) {
                // Metadata of a just-created topic can lag behind; the deadline bounds the wait.
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
            throw new IllegalStateException("Kafka admin call failed", e.getCause());
        }
    }
}
