package io.vigil.bridge.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bridge's single Kafka consumer, on its own thread, however many browsers are connected. It
 * decides how the bridge reads scores: every partition of the topic is assigned directly (no
 * consumer group, nothing committed) and read from its end, because the dashboard shows live data
 * and several bridges must each see everything. Partitions added to the topic later are picked up
 * within {@link #PARTITION_RECHECK}. A missing broker or topic is waited for with backoff, never
 * fatal; {@link #status()} says "starting" until the first poll after assignment returns.
 */
public final class ScoreFeed implements AutoCloseable {

    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    static final Duration PARTITION_RECHECK = Duration.ofSeconds(60);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ScoreFeed.class);

    private final Supplier<? extends Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final ScoreForwarder forwarder;
    private final Duration metadataTimeout;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(30));
    private final Thread thread;
    private volatile Consumer<byte[], byte[]> current;
    private volatile FeedStatus status;

    /**
     * @param consumers       makes a fresh consumer whenever the previous one failed
     * @param metadataTimeout how long one metadata or offset lookup may block before backing off
     */
    public ScoreFeed(Supplier<? extends Consumer<byte[], byte[]>> consumers, String topic,
                     ScoreForwarder forwarder, Duration metadataTimeout) {
        this.consumers = consumers;
        this.topic = topic;
        this.forwarder = forwarder;
        this.metadataTimeout = metadataTimeout;
        this.status = FeedStatus.starting("not started");
        this.thread = new Thread(this::run, "score-feed");
    }

    /** Real consumers for {@code bootstrapServers}, configured for group-less, read-only use. */
    public static Supplier<Consumer<byte[], byte[]>> kafkaConsumers(String bootstrapServers) {
        Map<String, Object> config = consumerConfig(bootstrapServers);
        return () -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Map<String, Object> consumerConfig(String bootstrapServers) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "vigil-sse-bridge",
                // No group: nothing to commit, and committing without one is an error.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // The topology owns the topic's partition count; the bridge must never create it.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // Under exactly-once the topology may abort writes; a dashboard must not show them.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    }

    public void start() {
        status = FeedStatus.starting("connecting to Kafka");
        thread.start();
    }

    public FeedStatus status() {
        return status;
    }

    /** Stops the loop, interrupting any blocking Kafka call, and waits for the consumer to close. */
    @Override
    public void close() {
        stopRequested.countDown();
        Consumer<byte[], byte[]> consumer = current;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("score feed did not stop within 15 s");
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping()) {
            Consumer<byte[], byte[]> consumer = null;
            try {
                consumer = consumers.get();
                current = consumer;
                // close() may have looked at `current` before it was set: re-check after publishing it.
                if (stopping()) {
                    break;
                }
                Set<TopicPartition> partitions = assignAll(consumer);
                if (partitions != null) {
                    pollLoop(consumer, partitions);
                }
            } catch (WakeupException | InterruptException e) {
                break;
            } catch (RuntimeException e) {
                status = FeedStatus.starting("consumer failed, retrying: " + e.getMessage());
                warn("score consumer failed; starting a new one", e);
                pause(backoff);
                backoff = longer(backoff);
            } finally {
                current = null;
                if (consumer != null) {
                    closeQuietly(consumer);
                }
            }
        }
        status = FeedStatus.starting("stopped");
    }

    /** Assigns every partition positioned at its end; null if stopped before that succeeded. */
    private Set<TopicPartition> assignAll(Consumer<byte[], byte[]> consumer) {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping()) {
            try {
                Set<TopicPartition> partitions = partitionsOf(consumer);
                if (!partitions.isEmpty()) {
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    // seekToEnd is lazy; resolving the positions now makes "ready" mean positioned.
                    for (TopicPartition partition : partitions) {
                        consumer.position(partition, metadataTimeout);
                    }
                    return partitions;
                }
                status = FeedStatus.starting("topic " + topic + " does not exist yet");
                warn("topic " + topic + " does not exist yet; waiting", null);
            } catch (TimeoutException e) {
                status = FeedStatus.starting("waiting for Kafka: " + e.getMessage());
                warn("no answer from Kafka yet; retrying", e);
            }
            pause(backoff);
            backoff = longer(backoff);
        }
        return null;
    }

    private void pollLoop(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        long recheckAt = System.nanoTime() + PARTITION_RECHECK.toNanos();
        boolean announced = false;
        while (!stopping()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
            if (!announced) {
                announced = true;
                status = new FeedStatus(true, "consuming " + topic, partitions.size());
                log.atInfo().addKeyValue("topic", topic).addKeyValue("partitions", partitions.size())
                        .log("score feed ready, reading from the end");
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                forwarder.forward(record);
            }
            if (System.nanoTime() - recheckAt >= 0) {
                recheckAt = System.nanoTime() + PARTITION_RECHECK.toNanos();
                addNewPartitions(consumer, partitions);
            }
        }
    }

    private void addNewPartitions(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        Set<TopicPartition> added;
        try {
            added = partitionsOf(consumer);
        } catch (TimeoutException e) {
            return; // the broker is slow or away; the next recheck tries again
        }
        added.removeAll(partitions);
        if (added.isEmpty()) {
            return;
        }
        partitions.addAll(added);
        // assign() keeps the positions of partitions that stay assigned.
        consumer.assign(partitions);
        // A partition created after start-up began empty: reading it from the beginning loses nothing.
        consumer.seekToBeginning(added);
        status = new FeedStatus(true, "consuming " + topic, partitions.size());
        log.atInfo().addKeyValue("topic", topic).addKeyValue("added", added.size())
                .log("new partitions assigned");
    }

    private Set<TopicPartition> partitionsOf(Consumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        if (infos != null) {
            List<PartitionInfo> sorted = new ArrayList<>(infos);
            sorted.sort(Comparator.comparingInt(PartitionInfo::partition));
            for (PartitionInfo info : sorted) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        return partitions;
    }

    private void warn(String message, Exception e) {
        long suppressed = warnings.permit();
        if (suppressed >= 0) {
            log.atWarn().addKeyValue("topic", topic).addKeyValue("suppressed", suppressed)
                    .log(e == null ? message : message + ": " + e);
        }
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private void pause(Duration duration) {
        try {
            stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        }
    }

    private static Duration longer(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private static void closeQuietly(Consumer<byte[], byte[]> consumer) {
        try {
            consumer.close();
        } catch (RuntimeException e) {
            log.debug("closing the consumer failed", e);
        }
    }
}
