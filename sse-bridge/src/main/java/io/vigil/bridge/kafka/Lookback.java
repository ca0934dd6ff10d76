package io.vigil.bridge.kafka;

import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Position;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far back the feed reads at start, so the views and the resume history are warm at once: node
 * status from the beginning (compacted: the latest status of every node), scores from the last
 * {@code scores} records of each partition, anomalies and labels from the last {@code segments}. A
 * count, not a time span: it bounds memory and start-up time whatever the data rate.
 */
public record Lookback(long scores, long segments) {

    public Lookback {
        if (scores < 0 || segments < 0) {
            throw new IllegalArgumentException("look-back must not be negative");
        }
    }

    /** Where reading starts, and the log ends found: the feed is ready once it has read up to them. */
    record Start(Position position, Map<TopicPartition, Long> ends) {
    }

    Start start(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Position start = Position.EMPTY;
        for (TopicPartition tp : partitions) {
            EventType type = typeOf(tp);
            start = start.with(type, tp.partition(),
                    startOf(type, first.getOrDefault(tp, 0L), ends.getOrDefault(tp, 0L)));
        }
        return new Start(start, Map.copyOf(ends));
    }

    /** Where the look-back of a partition of {@code type} starts, given its first and end offsets. */
    public long startOf(EventType type, long first, long end) {
        long back = switch (type) {
            case NODE -> Long.MAX_VALUE;
            case SCORE -> scores;
            case ANOMALY, LABEL -> segments;
        };
        return Math.max(first, back >= end ? 0 : end - back);
    }

    /** Every partition of the four streamed topics that exist, in topic then partition order. */
    static Set<TopicPartition> partitionsOf(Consumer<byte[], byte[]> consumer, Duration timeout) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (EventType type : EventType.values()) {
            List<PartitionInfo> infos = consumer.partitionsFor(type.topic(), timeout);
            if (infos != null) {
                infos.stream().map(PartitionInfo::partition).sorted()
                        .forEach(p -> partitions.add(new TopicPartition(type.topic(), p)));
            }
        }
        return partitions;
    }

    static EventType typeOf(TopicPartition tp) {
        return EventType.byTopic(tp.topic()).orElseThrow();
    }
}
