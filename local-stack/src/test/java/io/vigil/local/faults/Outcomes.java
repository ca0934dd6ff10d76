package io.vigil.local.faults;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.NodeStatus;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Everything the scorers commit to {@code vigil.scores}, {@code vigil.dead-letters} and
 * {@code vigil.node-status}, read with {@code isolation.level=read_committed} from the beginning by a
 * background consumer (no group), each record with the wall-clock time it was read.
 */
final class Outcomes implements AutoCloseable {

    /** One output record: where it is, when this consumer saw it, and its decoded value. */
    record Outcome<T>(int partition, long offset, long readAtMs, T value) {}

    /** Where a phase's outputs start: the end offsets of the output topics before it began. */
    record Boundary(Map<TopicPartition, Long> offsets) {

        static Boundary start() {
            return new Boundary(Map.of());
        }

        long of(String topic, int partition) {
            return offsets.getOrDefault(new TopicPartition(topic, partition), 0L);
        }
    }

    /** The records of one phase: from one boundary (inclusive) to the next (exclusive, or to the end). */
    record Phase(List<Outcome<ChannelScore>> scores, List<Outcome<DeadLetter>> deadLetters,
                 List<Outcome<NodeStatus>> nodeStatus) {}

    private static final List<String> TOPICS = List.of(Topics.SCORES.name(), Topics.DEAD_LETTERS.name(),
            Topics.NODE_STATUS.name());

    private final String bootstrapServers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<ChannelScore> scoreReader;
    private final Deserializer<DeadLetter> letterReader;
    private final Deserializer<NodeStatus> statusReader;
    private final List<Outcome<ChannelScore>> scores = new ArrayList<>();
    private final List<Outcome<DeadLetter>> deadLetters = new ArrayList<>();
    private final List<Outcome<NodeStatus>> nodeStatus = new ArrayList<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** Score keys and dead-letter origins read since {@link #indexFrom}, with how often each was read. */
    private final Map<String, Integer> index = new HashMap<>();
    private Boundary indexFrom = Boundary.start();
    private final Thread thread;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    Outcomes(String bootstrapServers, String registryUrl, int partitions) {
        this.bootstrapServers = bootstrapServers;
        Map<String, String> serde = Map.of("schema.registry.url", registryUrl);
        this.scoreReader = AvroSerde.configured(ChannelScore.class, serde, false).deserializer();
        this.letterReader = AvroSerde.configured(DeadLetter.class, serde, false).deserializer();
        this.statusReader = AvroSerde.configured(NodeStatus.class, serde, false).deserializer();
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "fault-test-outcomes"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : TOPICS) {
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
        thread = new Thread(this::run, "fault-test-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        String topic = r.topic();
                        if (topic.equals(Topics.SCORES.name())) {
                            var o = new Outcome<>(r.partition(), r.offset(), now, scoreReader.deserialize(topic, r.value()));
                            scores.add(o);
                            index(o);
                        } else if (topic.equals(Topics.DEAD_LETTERS.name())) {
                            var o = new Outcome<>(r.partition(), r.offset(), now, letterReader.deserialize(topic, r.value()));
                            deadLetters.add(o);
                            index(o);
                        } else {
                            nodeStatus.add(new Outcome<>(r.partition(), r.offset(), now, statusReader.deserialize(topic, r.value())));
                        }
                    }
                    for (TopicPartition tp : consumer.assignment()) {
                        positions.put(tp, consumer.position(tp));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void index(Outcome<?> o) {
        if (o.value() instanceof ChannelScore s) {
            if (o.offset() >= indexFrom.of(Topics.SCORES.name(), o.partition())) {
                index.merge(Ledger.key(s.getChannelId(), s.getEventTime().toEpochMilli()), 1, Integer::sum);
            }
        } else if (o.value() instanceof DeadLetter d) {
            if (o.offset() >= indexFrom.of(Topics.DEAD_LETTERS.name(), o.partition())) {
                index.merge(Ledger.origin(d.getOriginTopic(), d.getOriginPartition(), d.getOriginOffset()), 1, Integer::sum);
            }
        }
    }

    /** From now on {@link #hasOutcome} looks at the records from {@code from} on only. */
    synchronized void indexFrom(Boundary from) {
        indexFrom = from;
        index.clear();
        scores.forEach(this::index);
        deadLetters.forEach(this::index);
    }

    /**
     * Whether the input has an outcome of the kind it must have among the records indexed (a cheap check
     * for waiting; {@link Ledger} does the accounting).
     */
    synchronized boolean hasOutcome(TelemetryLoad.Input in) {
        failIfBroken();
        return index.containsKey(in.expectsScore() ? Ledger.key(in.channel(), in.eventTime())
                : Ledger.origin(in.topic(), in.partition(), in.offset()));
    }

    /** Scores read after the first {@code from}, for waiting on new ones without copying them all. */
    synchronized List<Outcome<ChannelScore>> scoresAfter(int from) {
        failIfBroken();
        return new ArrayList<>(scores.subList(Math.min(from, scores.size()), scores.size()));
    }

    /** The records from {@code from} up to {@code to} (null: everything read so far). */
    synchronized Phase phase(Boundary from, Boundary to) {
        failIfBroken();
        return new Phase(slice(scores, Topics.SCORES.name(), from, to),
                slice(deadLetters, Topics.DEAD_LETTERS.name(), from, to),
                slice(nodeStatus, Topics.NODE_STATUS.name(), from, to));
    }

    private static <T> List<Outcome<T>> slice(List<Outcome<T>> all, String topic, Boundary from, Boundary to) {
        List<Outcome<T>> out = new ArrayList<>();
        for (Outcome<T> o : all) {
            if (o.offset() >= from.of(topic, o.partition()) && (to == null || o.offset() < to.of(topic, o.partition()))) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Once no writer is left: waits until no transaction is open on the output topics (the committed
     * end equals the log end), then until this consumer has read to that end, and returns it: the
     * boundary after which only a later phase writes.
     */
    Boundary settle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, Long> end;
            while (true) {
                Map<TopicPartition, Long> committed = ends(admin, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> written = ends(admin, IsolationLevel.READ_UNCOMMITTED);
                if (committed != null && committed.equals(written)) {
                    end = committed;
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("transactions still open on the output topics after " + timeout
                            + ": committed ends " + committed + ", log ends " + written);
                }
                Thread.sleep(200);
            }
            while (!readTo(end)) {
                failIfBroken();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the outputs to " + end + " in " + timeout);
                }
                Thread.sleep(50);
            }
            return new Boundary(end);
        }
    }

    private synchronized boolean readTo(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private Map<TopicPartition, Long> ends(Admin admin, IsolationLevel level) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        synchronized (this) {
            for (TopicPartition tp : positions.keySet()) {
                request.put(tp, OffsetSpec.latest());
            }
        }
        if (request.isEmpty()) {
            return null;
        }
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(level)).all().get(10, TimeUnit.SECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    private void failIfBroken() {
        if (failure != null) {
            throw new AssertionError("the outcome reader failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
