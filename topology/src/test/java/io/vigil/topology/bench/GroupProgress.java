package io.vigil.topology.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a Streams application has got through what was on its input topic when this was made,
 * by its committed offsets. Under exactly-once a committed offset is a point whose outputs and state
 * writes are committed with it, so this counts points done, not merely read.
 */
final class GroupProgress {

    /** How often {@link #awaitEnd} looks. */
    static final Duration POLL = Duration.ofMillis(50);

    private final Admin admin;
    private final String group;
    private final Set<TopicPartition> partitions;
    private final long end;

    GroupProgress(Admin admin, String group, String topic) throws Exception {
        this.admin = admin;
        this.group = group;
        int count = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int i = 0; i < count; i++) {
            latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        this.partitions = latest.keySet();
        this.end = admin.listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    /** The records on the input when this was made (the sum of its partitions' end offsets). */
    long end() {
        return end;
    }

    /** The group's committed offsets on the input, summed over its partitions. */
    long committed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return partitions.stream().mapToLong(tp -> offsets.containsKey(tp) ? offsets.get(tp).offset() : 0).sum();
    }

    /** Waits until the group has committed everything up to {@link #end()}. */
    void awaitEnd(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        long done;
        while ((done = committed()) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(group + " not done after " + limit + ": " + done + " of " + end);
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
