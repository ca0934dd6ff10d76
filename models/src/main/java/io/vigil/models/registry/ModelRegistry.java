package io.vigil.models.registry;

import io.vigil.avro.ModelRelease;
import io.vigil.models.export.ParameterExport;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.serde.AvroDeserializer;
import io.vigil.schemas.serde.AvroSerializer;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's model registry, kept in Kafka.
 *
 * <ul>
 *   <li>{@code vigil.models} (compacted, keyed by channel id) holds each channel's <b>champion</b>: the
 *       record the scorer uses. It is a copy of one archived version with the alias {@code champion}.
 *   <li>{@code vigil.model-versions} (compacted, keyed {@code <channel>@<version>}) holds <b>every
 *       version ever released</b>, alias unset. Each key is written once, so compaction never removes a
 *       version; the records of one channel share a partition (the default partitioner's choice for the
 *       channel id), so a channel's history is read from one partition.
 * </ul>
 *
 * <p>{@link #release} archives the candidate as the channel's next version (1 + the highest archived)
 * and makes it champion; {@link #promote} makes any archived version champion; {@link #rollback} makes
 * the newest version below the champion champion. Nothing ever rewrites a {@code channel@version} key,
 * so "a release never overwrites a version" holds, and any version can be brought back.
 *
 * <p>Every change to a channel runs in a Kafka transaction whose transactional id is
 * {@code vigil-models-<channel>}: starting it fences any other writer of the same channel, the
 * channel's state is read after that (to the high watermark, waiting out other open transactions), and
 * the archive record and the champion record are committed together. Two processes releasing one
 * channel at once therefore cannot both take the same version, and a reader with
 * {@code isolation.level=read_committed} (Kafka Streams under exactly-once) never sees a champion whose
 * version is not archived. Records are checked against their SHA-256 before they are released or promoted.
 *
 * <p>Not thread-safe: one thread at a time (the CLI's).
 */
public final class ModelRegistry implements AutoCloseable {

    public static final String CHAMPION = "champion";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final RegistrySettings settings;
    private final Admin admin;
    private final AvroSerializer<ModelRelease> serializer = new AvroSerializer<>();
    private final AvroDeserializer<ModelRelease> deserializer = new AvroDeserializer<>(ModelRelease.class);
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Map<String, Integer> partitionCounts = new HashMap<>();

    public ModelRegistry(RegistrySettings settings) {
        this.settings = settings;
        serializer.configure(settings.serdeConfig(), false);
        deserializer.configure(settings.serdeConfig(), false);
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-models-admin");
        this.admin = Admin.create(a);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-models-reader");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        // Reads stop at an offset known in advance; a fetch that finds nothing new (a transaction marker
        // last) would otherwise wait the default 500 ms every time.
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        this.reader = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Creates the versions topic if it is missing, with the partition count of the models topic,
     * compacted. The models topic must exist: it shares its partition count with the other channel-keyed
     * topics, so it is provisioned with them, not here.
     */
    public void ensureTopics() throws InterruptedException {
        int partitions = partitions(settings.modelsTopic());
        new TopicProvisioner(admin).ensure(List.of(settings.versionsSpec()), partitions, settings.replicationFactor(),
                settings.timeout());
        partitionCounts.remove(settings.versionsTopic());
    }

    /**
     * Archives {@code candidate} as its channel's next version and makes it champion. A candidate whose
     * parameters equal an archived version's (same checksum) adds no version: that version becomes
     * champion ({@link Change.Kind#REUSED}) unless it already is ({@link Change.Kind#UNCHANGED}), so a
     * retried job does not pile up copies.
     *
     * @param candidate a trained model; its version and alias are ignored
     */
    public Change release(ModelRelease candidate) {
        verify(candidate, "candidate");
        String channel = candidate.getChannelId();
        return inChannelTransaction(channel, producer -> {
            TreeMap<Integer, ModelRelease> versions = versions(channel);
            int championBefore = champion(channel).map(ModelRelease::getVersion).orElse(0);
            for (ModelRelease v : versions.values()) {
                if (v.getChecksum().equals(candidate.getChecksum())) {
                    return championBefore == v.getVersion()
                            ? new Change(channel, Change.Kind.UNCHANGED, asChampion(v), championBefore)
                            : makeChampion(producer, channel, v, Change.Kind.REUSED, championBefore);
                }
            }
            int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
            ModelRelease archived = ModelRelease.newBuilder(candidate)
                    .setVersion(version)
                    .setAlias(null)
                    .setReleasedAt(Instant.ofEpochMilli(System.currentTimeMillis())) // the field's precision
                    .build();
            ModelRelease champion = asChampion(archived);
            producer.beginTransaction();
            producer.send(archiveRecord(archived));
            producer.send(new ProducerRecord<>(settings.modelsTopic(), channel, champion));
            producer.commitTransaction();
            return new Change(channel, Change.Kind.RELEASED, champion, championBefore);
        });
    }

    /** Makes archived {@code version} of {@code channel} its champion. */
    public Change promote(String channel, int version) {
        return inChannelTransaction(channel, producer -> {
            TreeMap<Integer, ModelRelease> versions = versions(channel);
            ModelRelease target = versions.get(version);
            if (target == null) {
                throw new IllegalArgumentException(channel + " has no version " + version
                        + (versions.isEmpty() ? " (no versions at all)" : " (versions: " + versions.keySet() + ")"));
            }
            int before = champion(channel).map(ModelRelease::getVersion).orElse(0);
            if (before == version) {
                return new Change(channel, Change.Kind.ALREADY_CHAMPION, asChampion(target), before);
            }
            return makeChampion(producer, channel, target, Change.Kind.PROMOTED, before);
        });
    }

    /** Makes the newest archived version below the current champion the champion. */
    public Change rollback(String channel) {
        return inChannelTransaction(channel, producer -> {
            ModelRelease current = champion(channel).orElseThrow(() ->
                    new IllegalArgumentException(channel + " has no champion to roll back"));
            TreeMap<Integer, ModelRelease> versions = versions(channel);
            Map.Entry<Integer, ModelRelease> previous = versions.lowerEntry(current.getVersion());
            if (previous == null) {
                throw new IllegalArgumentException(channel + ": no version before the champion's " + current.getVersion()
                        + " (versions: " + versions.keySet() + ")");
            }
            return makeChampion(producer, channel, previous.getValue(), Change.Kind.ROLLED_BACK, current.getVersion());
        });
    }

    /** Every archived version of {@code channel}, by version. */
    public List<ModelRelease> history(String channel) {
        return List.copyOf(versions(channel).values());
    }

    /** What the models topic says for {@code channel}: its champion, if it has one. */
    public Optional<ModelRelease> champion(String channel) {
        String topic = settings.modelsTopic();
        int partition = partitionOf(channel, partitions(topic));
        ModelRelease last = null;
        for (Entry e : read(new TopicPartition(topic, partition), channel::equals)) {
            last = e.value();
        }
        return Optional.ofNullable(last);
    }

    /** The champion of every channel on the models topic, by channel id. */
    public Map<String, ModelRelease> champions() {
        String topic = settings.modelsTopic();
        Map<String, ModelRelease> champions = new TreeMap<>();
        for (int p = 0; p < partitions(topic); p++) {
            for (Entry e : read(new TopicPartition(topic, p), k -> true)) {
                if (e.value() == null) {
                    champions.remove(e.key());
                } else {
                    champions.put(e.key(), e.value());
                }
            }
        }
        return champions;
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    // ---------------------------------------------------------------------------------------------

    private Change makeChampion(KafkaProducer<String, ModelRelease> producer, String channel, ModelRelease archived,
            Change.Kind kind, int before) {
        verify(archived, "version " + archived.getVersion());
        ModelRelease champion = asChampion(archived);
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(settings.modelsTopic(), channel, champion));
        producer.commitTransaction();
        return new Change(channel, kind, champion, before);
    }

    private static ModelRelease asChampion(ModelRelease archived) {
        return ModelRelease.newBuilder(archived).setAlias(CHAMPION).build();
    }

    private ProducerRecord<String, ModelRelease> archiveRecord(ModelRelease archived) {
        String topic = settings.versionsTopic();
        int partition = partitionOf(archived.getChannelId(), partitions(topic));
        return new ProducerRecord<>(topic, partition, versionKey(archived.getChannelId(), archived.getVersion()), archived);
    }

    /** Key of a version on the versions topic. */
    public static String versionKey(String channel, int version) {
        return channel + "@" + version;
    }

    /** The partition Kafka's default partitioner gives the key {@code channel} (UTF-8). */
    static int partitionOf(String channel, int partitions) {
        return BuiltInPartitioner.partitionForKey(channel.getBytes(StandardCharsets.UTF_8), partitions);
    }

    private TreeMap<Integer, ModelRelease> versions(String channel) {
        String topic = settings.versionsTopic();
        int partition = partitionOf(channel, partitions(topic));
        String prefix = channel + "@";
        TreeMap<Integer, ModelRelease> versions = new TreeMap<>();
        for (Entry e : read(new TopicPartition(topic, partition), k -> k.startsWith(prefix))) {
            ModelRelease v = e.value();
            if (v == null || !v.getChannelId().equals(channel) || !e.key().equals(versionKey(channel, v.getVersion()))) {
                continue; // another channel whose id starts with ours and an '@', or a stray tombstone
            }
            ModelRelease earlier = versions.putIfAbsent(v.getVersion(), v);
            if (earlier != null && !earlier.getChecksum().equals(v.getChecksum())) {
                LOG.warn("{} has two records for version {}; the first is kept", channel, v.getVersion());
            }
        }
        return versions;
    }

    private record Entry(String key, ModelRelease value) {}

    /**
     * The committed records of one partition whose key passes {@code keys}, in offset order: read from the
     * beginning up to the high watermark taken now, so records of transactions still open (any channel's)
     * are waited for, not missed.
     */
    private List<Entry> read(TopicPartition tp, Predicate<String> keys) {
        long end;
        try {
            end = admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .partitionResult(tp).get().offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offset of " + tp + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        List<Entry> entries = new ArrayList<>();
        reader.assign(List.of(tp));
        reader.seekToBeginning(List.of(tp));
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (reader.position(tp) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + tp + " to offset " + end + " took longer than " + settings.timeout()
                        + " (stuck at " + reader.position(tp) + ": a transaction left open?)");
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end || r.key() == null) {
                    continue;
                }
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (!keys.test(key)) {
                    continue;
                }
                if (r.value() == null) {
                    entries.add(new Entry(key, null));
                    continue;
                }
                try {
                    entries.add(new Entry(key, deserializer.deserialize(tp.topic(), r.value())));
                } catch (RuntimeException e) {
                    LOG.warn("{} offset {} (key {}) is not a readable ModelRelease, skipped: {}", tp, r.offset(), key,
                            e.getMessage());
                }
            }
        }
        reader.unsubscribe();
        return entries;
    }

    private int partitions(String topic) {
        Integer cached = partitionCounts.get(topic);
        if (cached != null) {
            return cached;
        }
        try {
            TopicDescription d = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
            partitionCounts.put(topic, d.partitions().size());
            return d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("topic " + topic + " does not exist"
                        + (topic.equals(settings.modelsTopic())
                                ? ": provision Vigil's topics first (the local stack does; see k8s/README.md)"
                                : ": run a release, or ensureTopics(), to create it"), e.getCause());
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private <T> T inChannelTransaction(String channel, Function<KafkaProducer<String, ModelRelease>, T> body) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-models-" + channel);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-models-" + channel);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.timeout().toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<String, ModelRelease> producer = new KafkaProducer<>(p, new StringSerializer(), serializer)) {
            producer.initTransactions();
            try {
                return body.apply(producer);
            } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException e) {
                // Another writer of this channel started after us. An old epoch is an abortable error: abort
                // now, or the coordinator keeps our transaction open (and every writer of the channel
                // waiting) until it times out. If the newer writer's start already aborted our transaction,
                // our commit is refused as an invalid state (seen with Kafka 4.3's coordinator). Either way
                // nothing of this attempt becomes visible.
                abortQuietly(producer);
                throw new IllegalStateException(channel + ": another process changed this channel at the same time;"
                        + " nothing was written by this one, run the command again", e);
            } catch (RuntimeException e) {
                abortQuietly(producer);
                throw e;
            }
        }
    }

    private static void abortQuietly(KafkaProducer<?, ?> producer) {
        try {
            producer.abortTransaction();
        } catch (IllegalStateException | KafkaException ignored) {
            // no transaction in flight, or the producer is unusable: closing it aborts
        }
    }

    /**
     * Refuses what the scorer would refuse: parameters that do not match the checksum or do not fit the
     * architecture, more than one input, scaling bounds that are not finite with max > min.
     */
    static void verify(ModelRelease release, String what) {
        ByteBuffer params = release.getParameters().duplicate();
        byte[] bytes = new byte[params.remaining()];
        params.get(bytes);
        String actual = ParameterExport.sha256Hex(bytes);
        if (!actual.equals(release.getChecksum())) {
            throw new IllegalStateException(release.getChannelId() + " " + what + ": parameters do not match the checksum ("
                    + actual + " vs " + release.getChecksum() + ")");
        }
        if (release.getArchitecture().getInputSize() != 1) {
            throw new IllegalStateException(release.getChannelId() + " " + what + ": the scorer feeds one value per step,"
                    + " the model takes " + release.getArchitecture().getInputSize());
        }
        double min = release.getScaling().getMin();
        double max = release.getScaling().getMax();
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalStateException(release.getChannelId() + " " + what + ": scaling bounds must be finite with"
                    + " max > min: [" + min + ", " + max + "]");
        }
        long expected = LstmParameters.parameterCount(release.getArchitecture()) * Float.BYTES;
        if (bytes.length != expected) {
            throw new IllegalStateException(release.getChannelId() + " " + what + ": " + bytes.length
                    + " parameter bytes, its architecture needs " + expected);
        }
    }
}
