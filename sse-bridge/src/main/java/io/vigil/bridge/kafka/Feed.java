package io.vigil.bridge.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Position;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bridge's single Kafka consumer of scores, anomalies, node status and labels, on its own thread,
 * however many browsers are connected. It decides where reading starts and when the bridge is ready:
 *
 * <ul>
 *   <li>At start every partition of the four topics is assigned directly (no group, nothing committed)
 *       and read from a bounded {@link Lookback}, so the views and the resume history are warm at
 *       once.</li>
 *   <li>It is {@code CATCHING_UP} until it has read up to the log ends it found at start, then
 *       {@code READY} for good; a consumer that fails is replaced and resumes exactly where the last one
 *       stopped (the sink never sees a record twice).</li>
 *   <li>The scores topic must exist; the others are optional and, like partitions added later, picked
 *       up within {@link #PARTITION_RECHECK} and read from their beginning (they began empty).</li>
 * </ul>
 * A missing broker is waited for with backoff, never fatal.
 */
public final class Feed implements AutoCloseable {

    public static final String LAG = "vigil.bridge.consumer.lag";
    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    static final Duration PARTITION_RECHECK = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(Feed.class);

    private final Supplier<? extends Consumer<byte[], byte[]>> consumers;
    private final RecordDecoder decoder;
    private final FeedSink sink;
    private final Lookback lookback;
    private final Duration metadataTimeout;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(30));
    private final Thread thread;
    private final MeterRegistry registry;
    private volatile Consumer<byte[], byte[]> current;
    private volatile FeedStatus status = FeedStatus.starting("not started");
    private volatile long lag;
    // Feed thread only:
    private Position position;
    private Map<TopicPartition, Long> readyAt; // log ends found at start; null once ready

    public Feed(Supplier<? extends Consumer<byte[], byte[]>> consumers, RecordDecoder decoder, FeedSink sink,
                Lookback lookback, Duration metadataTimeout, MeterRegistry registry) {
        this.consumers = consumers;
        this.decoder = decoder;
        this.sink = sink;
        this.lookback = lookback;
        this.metadataTimeout = metadataTimeout;
        this.registry = registry;
        this.thread = new Thread(this::run, "bridge-feed");
        Gauge.builder(LAG, this, feed -> feed.lag).description("Records the feed is behind the log ends")
                .register(registry);
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
            log.warn("feed did not stop within 15 s");
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping()) {
            Consumer<byte[], byte[]> consumer = null;
            KafkaClientMetrics clientMetrics = null;
            try {
                consumer = consumers.get();
                // The consumer's own metrics (fetch rate, lag, connection errors), for as long as it lives.
                clientMetrics = new KafkaClientMetrics(consumer);
                clientMetrics.bindTo(registry);
                current = consumer;
                // close() may have looked at `current` before it was set: re-check after publishing it.
                if (stopping()) {
                    break;
                }
                Set<TopicPartition> partitions = assign(consumer);
                if (partitions != null) {
                    backoff = FIRST_BACKOFF;
                    pollLoop(consumer, partitions);
                }
            } catch (WakeupException | InterruptException e) {
                break;
            } catch (RuntimeException e) {
                status = FeedStatus.starting("consumer failed, retrying: " + e.getMessage());
                warn("consumer failed; starting a new one", e);
                pause(backoff);
                backoff = longer(backoff);
            } finally {
                current = null;
                if (clientMetrics != null) {
                    clientMetrics.close();
                }
                if (consumer != null) {
                    closeQuietly(consumer);
                }
            }
        }
        status = FeedStatus.starting("stopped");
    }

    /** Assigns and positions every partition; null if stopped first. */
    private Set<TopicPartition> assign(Consumer<byte[], byte[]> consumer) {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping()) {
            try {
                Set<TopicPartition> partitions = partitionsOf(consumer);
                if (partitions.stream().anyMatch(tp -> tp.topic().equals(EventType.SCORE.topic()))) {
                    consumer.assign(partitions);
                    if (position == null) {
                        begin(consumer, partitions);
                    }
                    for (TopicPartition tp : partitions) {
                        consumer.seek(tp, position.next(typeOf(tp), tp.partition()));
                    }
                    status = readyAt == null
                            ? new FeedStatus(FeedStatus.Phase.READY, "consuming", partitions.size(), lag)
                            : new FeedStatus(FeedStatus.Phase.CATCHING_UP, "reading the look-back",
                                    partitions.size(), remaining(consumer));
                    return partitions;
                }
                status = FeedStatus.starting("topic " + EventType.SCORE.topic() + " does not exist yet");
                warn("topic " + EventType.SCORE.topic() + " does not exist yet; waiting", null);
            } catch (TimeoutException e) {
                status = FeedStatus.starting("waiting for Kafka: " + e.getMessage());
                warn("no answer from Kafka yet; retrying", e);
            }
            pause(backoff);
            backoff = longer(backoff);
        }
        return null;
    }

    private void begin(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        Lookback.Start start = lookback.start(consumer, partitions, metadataTimeout);
        position = start.position();
        readyAt = new HashMap<>(start.ends());
        sink.begin(position);
        log.atInfo().addKeyValue("partitions", partitions.size()).log("feed assigned; reading the look-back");
    }

    private void pollLoop(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        long recheckAt = System.nanoTime() + PARTITION_RECHECK.toNanos();
        while (!stopping()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
            if (!records.isEmpty()) {
                handOn(records);
            }
            updateStatus(consumer, partitions);
            if (System.nanoTime() - recheckAt >= 0) {
                recheckAt = System.nanoTime() + PARTITION_RECHECK.toNanos();
                addNewPartitions(consumer, partitions);
            }
        }
    }

    private void handOn(ConsumerRecords<byte[], byte[]> records) {
        List<FeedRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            EventType type = EventType.byTopic(record.topic()).orElseThrow();
            position = position.with(type, record.partition(), record.offset() + 1);
            Decoded decoded = decoder.decode(type, record);
            if (decoded != null) {
                batch.add(new FeedRecord(record.partition(), record.offset(), record.timestamp(), decoded, position));
            }
        }
        sink.accept(batch, position);
    }

    private void updateStatus(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        long behind = 0;
        for (TopicPartition tp : partitions) {
            OptionalLong partitionLag = consumer.currentLag(tp);
            behind += partitionLag.orElse(0);
        }
        lag = behind;
        if (readyAt != null) {
            long remaining = remaining(consumer);
            if (remaining > 0) {
                status = new FeedStatus(FeedStatus.Phase.CATCHING_UP, "reading the look-back", partitions.size(),
                        remaining);
                return;
            }
            readyAt = null;
            log.atInfo().addKeyValue("partitions", partitions.size()).log("feed caught up; live");
            sink.ready();
        }
        status = new FeedStatus(FeedStatus.Phase.READY, "consuming", partitions.size(), behind);
    }

    private long remaining(Consumer<byte[], byte[]> consumer) {
        long remaining = 0;
        for (Map.Entry<TopicPartition, Long> end : readyAt.entrySet()) {
            remaining += Math.max(0, end.getValue() - consumer.position(end.getKey(), metadataTimeout));
        }
        return remaining;
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
        // Created after start-up, they began empty: reading them from the beginning loses nothing.
        for (TopicPartition tp : added) {
            consumer.seek(tp, 0);
        }
        log.atInfo().addKeyValue("added", added.size()).log("new partitions assigned");
    }

    private Set<TopicPartition> partitionsOf(Consumer<byte[], byte[]> consumer) {
        return Lookback.partitionsOf(consumer, metadataTimeout);
    }

    private static EventType typeOf(TopicPartition tp) {
        return Lookback.typeOf(tp);
    }

    private void warn(String message, Exception e) {
        long suppressed = warnings.permit();
        if (suppressed >= 0) {
            log.atWarn().addKeyValue("suppressed", suppressed).log(e == null ? message : message + ": " + e);
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
