package io.vigil.bridge.kafka;

import io.vigil.avro.Heartbeat;
import io.vigil.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the heartbeats topic so that the node view can say how long ago each node last beat: the
 * topology writes a node's status only when it changes, never per heartbeat. Not part of the event
 * stream (heartbeats are not events a client resumes), so it has a consumer of its own, starting a
 * short look-back before the end so that ages are known soon after a start. Kafka away, a topic not
 * there yet and records it cannot read are waited out or skipped, never fatal.
 */
public final class HeartbeatWatch implements AutoCloseable {

    /** Where heartbeats go: the node id and its sender's time. */
    public interface Sink {
        void heartbeat(String nodeId, long time);
    }

    private static final Logger log = LoggerFactory.getLogger(HeartbeatWatch.class);
    /**
     * Records read back per partition at start: enough for the latest beat of every node when a few
     * hundred nodes beat every few seconds, and a second's reading at most.
     */
    static final long LOOKBACK = 1000;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final Supplier<? extends Consumer<byte[], byte[]>> consumers;
    private final Deserializer<Heartbeat> values;
    private final Sink sink;
    private final Duration lookupTimeout;
    private final LogThrottle throttle = new LogThrottle(LOG_INTERVAL);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Consumer<byte[], byte[]> current;

    public HeartbeatWatch(Supplier<? extends Consumer<byte[], byte[]>> consumers, Deserializer<Heartbeat> values, Sink sink,
                          Duration lookupTimeout) {
        this.consumers = consumers;
        this.values = values;
        this.sink = sink;
        this.lookupTimeout = lookupTimeout;
        this.thread = new Thread(this::run, "bridge-heartbeats");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (!stopping) {
            try (Consumer<byte[], byte[]> consumer = consumers.get()) {
                current = consumer;
                List<TopicPartition> partitions = partitions(consumer);
                if (partitions.isEmpty()) {
                    pause();
                    continue;
                }
                consumer.assign(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, lookupTimeout);
                Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, lookupTimeout);
                for (TopicPartition tp : partitions) {
                    consumer.seek(tp, Math.max(starts.getOrDefault(tp, 0L), ends.getOrDefault(tp, 0L) - LOOKBACK));
                }
                while (!stopping) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL_TIMEOUT)) {
                        take(r);
                    }
                }
            } catch (WakeupException e) {
                // close() woke the poll
            } catch (KafkaException e) {
                warn("heartbeats not readable yet; retrying", e);
                pause();
            } finally {
                current = null;
            }
        }
    }

    private List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.HEARTBEATS.name(), lookupTimeout);
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        Heartbeat beat;
        try {
            beat = r.value() == null ? null : values.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            warn("a heartbeat could not be read; skipped", e);
            return;
        }
        if (beat != null && beat.getTime() != null) {
            sink.heartbeat(beat.getNodeId(), beat.getTime().toEpochMilli());
        }
    }

    private void warn(String message, Exception e) {
        long suppressed = throttle.permit();
        if (suppressed >= 0) {
            log.atWarn().setMessage(message).addKeyValue("error", e.toString()).addKeyValue("suppressed", suppressed).log();
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        Consumer<byte[], byte[]> consumer = current;
        if (consumer != null) {
            consumer.wakeup();
        }
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
