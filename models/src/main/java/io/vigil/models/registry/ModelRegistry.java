package io.vigil.models.registry;

import io.vigil.avro.ModelRelease;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.serde.AvroDeserializer;
import io.vigil.schemas.serde.AvroSerializer;
import io.vigil.topology.release.ReleaseCheck;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * version is not archived.
 *
 * <p>One release rule: before a record is written to the models topic the registry asks the scorer's
 * own check ({@link ReleaseCheck}) about that exact record, so a release the scorer would dead-letter is
 * refused here, with the scorer's reason, instead of being archived and then ignored. Every
 * {@code channel@N} record of a channel must read back as version N of that channel: one that cannot
 * (undecodable bytes, a schema registry that does not answer, a value for another version) stops the
 * channel's changes with a message naming the key, rather than leaving N looking free to be taken again.
 *
 * <p>Not thread-safe: one thread at a time (the CLI's).
 */
public final class ModelRegistry implements AutoCloseable {

    /** The alias of the record the scorer uses: the scorer's, so the two cannot differ. */
    public static final String CHAMPION = ReleaseCheck.CHAMPION;
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
        this.admin = Admin.create(settings.clients().admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-models-admin")));
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-models-reader");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        // Reads stop at an offset known in advance; a fetch that finds nothing new (a transaction marker
        // last) would otherwise wait the default 500 ms every time.
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        this.reader = new KafkaConsumer<>(settings.clients().consumer(c), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
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
        String channel = candidate.getChannelId();
        return inChannelTransaction(channel, producer -> {
            Archive archive = archive(channel);
            int championBefore = champion(channel).map(ModelRelease::getVersion).orElse(0);
            for (ModelRelease v : archive.versions().values()) {
                if (v.getChecksum().equals(candidate.getChecksum())) {
                    return championBefore == v.getVersion()
                            ? new Change(channel, Change.Kind.UNCHANGED, asChampion(v), championBefore)
                            : makeChampion(producer, channel, v, Change.Kind.REUSED, championBefore);
                }
            }
            ModelRelease archived = ModelRelease.newBuilder(candidate)
                    .setVersion(archive.highestTaken() + 1)
                    .setAlias(null)
                    .setReleasedAt(Instant.ofEpochMilli(System.currentTimeMillis())) // the field's precision
                    .build();
            ModelRelease champion = asChampion(archived);
            checkAsTheScorerWould(champion, "candidate");
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
            TreeMap<Integer, ModelRelease> versions = archive(channel).versions();
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
            TreeMap<Integer, ModelRelease> versions = archive(channel).versions();
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
        return List.copyOf(archive(channel).versions().values());
    }

    /** What the models topic says for {@code channel}: its champion, if it has one. */
    public Optional<ModelRelease> champion(String channel) {
        String topic = settings.modelsTopic();
        int partition = partitionOf(channel, partitions(topic));
        ModelRelease last = null;
        for (Entry e : readable(read(new TopicPartition(topic, partition), channel::equals))) {
            last = e.value();
        }
        return Optional.ofNullable(last);
    }

    /** The champion of every channel on the models topic, by channel id. */
    public Map<String, ModelRelease> champions() {
        String topic = settings.modelsTopic();
        Map<String, ModelRelease> champions = new TreeMap<>();
        for (int p = 0; p < partitions(topic); p++) {
            for (Entry e : readable(read(new TopicPartition(topic, p), k -> true))) {
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
        ModelRelease champion = asChampion(archived);
        checkAsTheScorerWould(champion, "version " + archived.getVersion());
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

    /**
     * A channel's archived versions, and the highest version number its keys take.
     *
     * @param highestTaken the highest N with a record at {@code channel@N}, 0 if none: a tombstone there
     *     (the registry writes none) still takes its number while it lasts
     */
    private record Archive(TreeMap<Integer, ModelRelease> versions, int highestTaken) {}

    private Archive archive(String channel) {
        String topic = settings.versionsTopic();
        TopicPartition tp = new TopicPartition(topic, partitionOf(channel, partitions(topic)));
        String prefix = channel + "@";
        // What compaction will keep of each key: its last record. The registry writes a key once; a second
        // record is someone else's, e.g. a repair of an unreadable one.
        Map<String, Entry> last = new LinkedHashMap<>();
        for (Entry e : read(tp, k -> k.startsWith(prefix))) {
            Entry before = last.put(e.key(), e);
            if (before != null && before.value() != null && e.value() != null
                    && !before.value().getChecksum().equals(e.value().getChecksum())) {
                LOG.warn("{} has two records at key {}; the last is kept, as compaction will", channel, e.key());
            }
        }
        TreeMap<Integer, ModelRelease> versions = new TreeMap<>();
        int highest = 0;
        for (Entry e : last.values()) {
            int version = versionIn(e.key(), channel);
            if (version == 0) {
                continue; // another channel whose id starts with ours and an '@' (its key is A@1@N, ours A@N)
            }
            highest = Math.max(highest, version);
            if (e.unreadable() != null) {
                throw new IllegalStateException(channel + ": " + tp + " offset " + e.offset() + ", key " + e.key()
                        + ", is not a readable ModelRelease (" + describe(e.unreadable()) + "). Version " + version
                        + " is taken but cannot be read, so nothing is changed for " + channel + " rather than risk"
                        + " taking that number again; make the record readable (write the archived release back at key "
                        + e.key() + ") and run the command again", e.unreadable());
            }
            ModelRelease v = e.value();
            if (v == null) {
                continue;
            }
            if (!v.getChannelId().equals(channel) || v.getVersion() != version) {
                throw new IllegalStateException(channel + ": " + tp + " offset " + e.offset() + ", key " + e.key()
                        + ", holds version " + v.getVersion() + " of " + v.getChannelId() + ", not version " + version
                        + " of " + channel + "; nothing is changed for " + channel + " until that record is repaired");
            }
            versions.put(version, v);
        }
        return new Archive(versions, highest);
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** N if {@code key} is {@code channel@N} as {@link #versionKey} writes it (N >= 1), else 0. */
    static int versionIn(String key, String channel) {
        String number = key.substring(channel.length() + 1);
        if (number.isEmpty() || number.length() > 10 || !number.chars().allMatch(c -> c >= '0' && c <= '9')
                || number.startsWith("0")) {
            return 0;
        }
        long version = Long.parseLong(number);
        return version <= Integer.MAX_VALUE ? (int) version : 0;
    }

    /**
     * A record as read: {@code value} null for a tombstone, or {@code unreadable} set (and value null)
     * when its bytes do not decode.
     */
    private record Entry(String key, long offset, ModelRelease value, RuntimeException unreadable) {}

    /**
     * The entries whose values decode; the others are logged and left out, as the scorer dead-letters them
     * and keeps its model.
     */
    private static List<Entry> readable(List<Entry> entries) {
        List<Entry> readable = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.unreadable() == null) {
                readable.add(e);
            } else {
                LOG.warn("offset {} (key {}) is not a readable ModelRelease, skipped: {}", e.offset(), e.key(),
                        describe(e.unreadable()));
            }
        }
        return readable;
    }

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
                    entries.add(new Entry(key, r.offset(), null, null));
                    continue;
                }
                try {
                    entries.add(new Entry(key, r.offset(), deserializer.deserialize(tp.topic(), r.value()), null));
                } catch (RuntimeException e) {
                    entries.add(new Entry(key, r.offset(), null, e)); // the caller decides what an unreadable record means
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
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-models-" + channel);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-models-" + channel);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.timeout().toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<String, ModelRelease> producer = new KafkaProducer<>(settings.clients().producer(p),
                new StringSerializer(), serializer)) {
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
     * Refuses {@code champion}, the record exactly as it would reach the models topic, if the scorer would
     * refuse it: the scorer's own {@link ReleaseCheck}, not a copy of it that could drift. It is asked under
     * every {@link LstmParameters.Precision} a scorer can be configured with ({@code scoring.model.precision}):
     * the champion stays on the compacted topic across scorer restarts with other settings, and a release
     * only {@code half} cannot load (a weight beyond 65,504) would be dead-lettered by such a scorer.
     */
    static void checkAsTheScorerWould(ModelRelease champion, String what) {
        for (LstmParameters.Precision precision : LstmParameters.Precision.values()) {
            try {
                ReleaseCheck.check(champion, precision);
            } catch (ReleaseCheck.BadRelease e) {
                throw new IllegalStateException(champion.getChannelId() + " " + what + " refused, the scorer would"
                        + " dead-letter it" + (precision == LstmParameters.Precision.FLOAT32 ? ""
                                : " when run with scoring.model.precision=" + precision.name().toLowerCase(Locale.ROOT))
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
