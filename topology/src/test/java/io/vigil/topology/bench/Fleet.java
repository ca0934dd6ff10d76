package io.vigil.topology.bench;

import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.scoring.TestModels;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The benchmarks' fleet and its data, one definition for every benchmark on a broker so that they
 * score the same thing: {@code channels} channels, each with a 2x80 champion of its own weights
 * ({@link #parameters}: distinct seeds, so a scorer stepping channels in turn streams every channel's
 * weights from memory), and points one {@link #ROUND_MS} apart, sent round by round, one point per
 * channel per round (channels interleaved, as a live fleet's points arrive).
 *
 * <p>Event times are recent and end in the past: the broker's retention deletes whole logs of data
 * older than a week, and the scorer refuses points too far ahead of the clock.
 */
final class Fleet implements AutoCloseable {

    /** The production shape: two LSTM layers of 80 units. */
    static final LstmArchitecture SHAPE = TestModels.shape(2, 80);
    /** Event-time spacing of a channel's points. */
    static final long ROUND_MS = 60_000;
    /**
     * Rounds until a channel's first threshold window closes (errors of 30 batches of 70 points).
     * Before it the scorer only collects errors; from it on it also decides a window every 70th point,
     * so only rounds from here on are the scorer's steady state.
     */
    static final int THRESHOLD_ROUNDS = ThresholdSettings.DEFAULT.windowSize() * ThresholdSettings.DEFAULT.batchSize();
    /** Scaling bounds of every champion; the points stay within them. */
    private static final double SCALE_MIN = -1.5;
    private static final double SCALE_MAX = 1.5;

    private final int channels;
    private final long t0;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Serializer<ModelRelease> releases;
    private final Serializer<TelemetryPoint> points;

    private Fleet(int channels, long t0, Map<String, Object> producerConfig, TopologyConfig config) {
        this.channels = channels;
        this.t0 = t0;
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.releases = AvroSerde.configured(ModelRelease.class, config.serdeConfig(), false).serializer();
        this.points = AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).serializer();
    }

    /** A fleet whose producer batches for throughput (large lingering lz4 batches), to pre-load data. */
    static Fleet bulk(String bootstrap, TopologyConfig config, int channels, long t0) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A champion's weights are ~310 KB.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        return new Fleet(channels, t0, p, config);
    }

    /** A fleet whose producer sends as a live source does (Kafka's defaults). */
    static Fleet live(String bootstrap, TopologyConfig config, int channels, long t0) {
        return new Fleet(channels, t0, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), config);
    }

    /** The first event time of a run of {@code rounds} rounds that ends a round before now. */
    static long startFor(int rounds) {
        return System.currentTimeMillis() - (rounds + 1L) * ROUND_MS;
    }

    static String channel(int c) {
        return "channel-" + c;
    }

    /** The channel number of {@link #channel}'s id. */
    static int channelNumber(String id) {
        return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
    }

    /** Channel {@code c}'s weights, as its champion carries them. */
    static byte[] parameters(int c) {
        return TestModels.randomParameters(SHAPE, c);
    }

    /** Channel {@code c}'s value in round {@code round}: a slow sine, phase-shifted per channel, with a little noise. */
    static double value(int round, int c) {
        return Math.sin(round / 40.0 + c) + 0.01 * ((round * 31 + c) % 7);
    }

    /**
     * The first round of the steady-state window of a run of {@code rounds} rounds: the last fifth,
     * but not before {@link #THRESHOLD_ROUNDS}; a run too short to close a threshold window has only
     * its last fifth.
     */
    static int steadyFrom(int rounds) {
        int lastFifth = rounds - rounds / 5;
        return rounds > THRESHOLD_ROUNDS ? Math.max(THRESHOLD_ROUNDS, lastFifth) : lastFifth;
    }

    /** What {@link #steadyFrom} chose, for the report. */
    static String describeWindow(int rounds) {
        String span = String.format(Locale.ROOT, "rounds %,d-%,d of %,d", steadyFrom(rounds), rounds - 1, rounds);
        return rounds > THRESHOLD_ROUNDS
                ? span + ": the last fifth, but none before round " + String.format(Locale.ROOT, "%,d", THRESHOLD_ROUNDS)
                        + " where the first threshold windows close"
                : span + ": the last fifth; no threshold window closes in so few rounds, so not the scorer's steady state";
    }

    int channels() {
        return channels;
    }

    long eventTime(int round) {
        return t0 + round * ROUND_MS;
    }

    /** The round whose points carry {@code eventTime}. */
    int round(long eventTime) {
        return (int) ((eventTime - t0) / ROUND_MS);
    }

    /**
     * The index of the point of {@code channelId} at {@code eventTime} among the points paced after
     * {@code history} rounds, as {@link #sendPaced} numbers them: round by round, channel by channel
     * within a round. Negative for a point of the history.
     */
    int pacedIndex(int history, long eventTime, String channelId) {
        return (round(eventTime) - history) * channels + channelNumber(channelId);
    }

    /** Sends paced point {@code index} (see {@link #pacedIndex}) without waiting for it. */
    void sendPaced(int history, int index) {
        sendPoint(history + index / channels, index % channels);
    }

    /** Sends every channel's champion, each at {@code t0} so that Streams takes them before the points, and waits for them. */
    void sendModels() {
        for (int c = 0; c < channels; c++) {
            String id = channel(c);
            ModelRelease release = TestModels.champion(id, 1, SHAPE, parameters(c), SCALE_MIN, SCALE_MAX,
                    ThresholdSettings.DEFAULT).build();
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), null, t0, key(id),
                    releases.serialize(Topics.MODELS.name(), release)));
        }
        producer.flush();
    }

    /** Sends rounds {@code [from, to)} and waits for them; returns the number of points. */
    long sendRounds(int from, int to) {
        for (int round = from; round < to; round++) {
            for (int c = 0; c < channels; c++) {
                sendPoint(round, c);
            }
        }
        producer.flush();
        return (long) (to - from) * channels;
    }

    /** Sends channel {@code c}'s point of {@code round} without waiting for it. */
    void sendPoint(int round, int c) {
        String id = channel(c);
        long time = eventTime(round);
        TelemetryPoint point = new TelemetryPoint(id, "bench", Instant.ofEpochMilli(time), value(round, c), List.of());
        producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), null, time, key(id),
                points.serialize(Topics.TELEMETRY.name(), point)));
    }

    void flush() {
        producer.flush();
    }

    /** Loads the champions and then {@code rounds} rounds of points, and says how long it took; returns the number of points. */
    long load(int rounds, PrintStream report) {
        long started = System.nanoTime();
        sendModels();
        long total = sendRounds(0, rounds);
        report.printf(Locale.ROOT, "loaded %,d models and %,d points (%,d channels x %,d rounds) in %.1f s%n",
                channels, total, channels, rounds, (System.nanoTime() - started) / 1e9);
        return total;
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
