package io.vigil.local.faults;

import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.NodeState;
import io.vigil.avro.ScalingBounds;
import io.vigil.avro.TelemanomSettings;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fault tests' input: rounds of telemetry, one point per channel per round (one second of event
 * time apart, jittered, ending before the wall clock), heartbeats of a small fleet, and now and then a
 * record that must become a dead letter. Idempotent producer, {@code acks=all}; every record's
 * partition and offset is recorded with the outcome it must have, so the test can account for each.
 *
 * <p>Everything is a pure function of the channel, node and round, so two runs of the same plan write
 * the same records. What it covers:
 *
 * <ul>
 *   <li>every {@code lstmEvery}-th channel has an LSTM champion (2 layers, random weights, small
 *       Telemanom windows so thresholds are decided every 5 points), released before its first point;
 *       the others run the baseline;</li>
 *   <li>channels {@code c % 25 == 0} skip rounds 30-44: a long gap, which resets an LSTM;</li>
 *   <li>per ten rounds: garbage bytes, a tombstone, an unknown schema id, a NaN value, a keyless point
 *       and a key that differs from the channel; and per 500 channel-rounds a duplicate and an
 *       out-of-order point, which are judged against the channel's (restored) state;</li>
 *   <li>nodes 0-5 of the fleet fall silent for good at rounds 8, 20, 32, ... (each must be FAULTED
 *       exactly once, at its deadline), node 6 parks at round 10 and falls silent (never faulted);
 *       heartbeat times are jittered so the learned intervals are not round numbers; one garbage
 *       heartbeat.</li>
 * </ul>
 */
final class TelemetryLoad implements AutoCloseable {

    /** What one input record must become: a score (reason null) or a dead letter with that reason. */
    record Input(String topic, int partition, long offset, int round, String channel, long eventTime,
                 DeadLetterReason expected) {

        boolean expectsScore() {
            return expected == null;
        }
    }

    /**
     * @param channels channels, each one point per round
     * @param lstmEvery every this many channels one has an LSTM champion (0: none)
     * @param units hidden units of each of the champions' two LSTM layers (80 is the trained models' size)
     * @param nodes fleet size sending heartbeats (0: none)
     * @param backlog how far before the load's start round 0 is: that many rounds can be written at
     *     once, later ones no faster than the wall clock (the load never writes a point from the future)
     * @param base event time of round 0 (epoch ms), set when the load starts; round r is at
     *     {@code base + r * 1000 + jitter}
     */
    record Plan(int channels, int lstmEvery, int units, int nodes, Duration backlog, long base) {

        static Plan of(int channels, int lstmEvery, int units, int nodes, Duration backlog) {
            return new Plan(channels, lstmEvery, units, nodes, backlog, System.currentTimeMillis() - backlog.toMillis());
        }

        Plan startingNow() {
            return new Plan(channels, lstmEvery, units, nodes, backlog, System.currentTimeMillis() - backlog.toMillis());
        }

        String channel(int c) {
            return String.format("ch-%04d", c);
        }

        boolean hasModel(int c) {
            return lstmEvery > 0 && c % lstmEvery == 0;
        }

        boolean inGap(int c, int round) {
            return c % 25 == 0 && round >= 30 && round < 45;
        }

        long eventTime(int c, int round) {
            return base + round * 1000L + (long) (mix(c, round, 1) * 600);
        }

        double value(int c, int round) {
            double v = Math.sin(round * 0.21 + c) * (0.6 + (c % 7) / 10.0) + 0.15 * (mix(c, round, 2) - 0.5);
            return (round + c) % 41 == 0 ? v + 1.5 : v;
        }

        long heartbeatTime(int node, int round) {
            return base + round * 1000L + (long) (mix(node, round, 3) * 400);
        }

        /** The round from which node {@code n} sends nothing, or MAX_VALUE. */
        int silentFrom(int node) {
            return node < 6 ? 8 + 12 * node : node == 6 ? 13 : Integer.MAX_VALUE;
        }

        NodeState heartbeatState(int node, int round) {
            return node == 6 && round >= 10 ? NodeState.PARKED : round % 5 == 0 ? NodeState.BUSY : NodeState.ONLINE;
        }

        private static double mix(int a, int b, int salt) {
            long z = (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL) ^ (salt * 0x165667B19E3779F9L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            return (z >>> 11) * 0x1.0p-53;
        }
    }

    private volatile Plan plan;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroSerde<TelemetryPoint> points;
    private final AvroSerde<Heartbeat> heartbeats;
    private final Queue<Input> inputs = new ConcurrentLinkedQueue<>();
    private final Queue<Exception> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger roundsSent = new AtomicInteger();
    private volatile double roundsPerSecond = Double.POSITIVE_INFINITY;
    private volatile boolean stopping;
    /** The newest heartbeat time sent, for the tail a liveness comparison must leave out. */
    private volatile long lastHeartbeatTime = Long.MIN_VALUE;
    private Thread thread;

    TelemetryLoad(String bootstrapServers, String registryUrl, Plan plan) {
        this.plan = plan;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // A restarted broker is away for ~10 s: the sends wait for it instead of failing.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000,
                ProducerConfig.CLIENT_ID_CONFIG, "fault-test-load"),
                new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, String> serde = Map.of("schema.registry.url", registryUrl);
        this.points = AvroSerde.configured(TelemetryPoint.class, serde, false);
        this.heartbeats = AvroSerde.configured(Heartbeat.class, serde, false);
    }

    /** Publishes the champions, stamped before every point (and the load's start), and waits until the broker has them. */
    void publishModels(String registryUrl) throws Exception {
        var serializer = AvroSerde.configured(ModelRelease.class, Map.of("schema.registry.url", registryUrl), false)
                .serializer();
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int c = 0; c < plan.channels(); c++) {
            if (plan.hasModel(c)) {
                ModelRelease release = release(plan.channel(c), c, plan.units());
                sent.add(producer.send(new ProducerRecord<>(Topics.MODELS.name(), null, plan.base() - 60_000,
                        key(plan.channel(c)), serializer.serialize(Topics.MODELS.name(), release))));
            }
        }
        for (var f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    int models() {
        int n = 0;
        for (int c = 0; c < plan.channels(); c++) {
            n += plan.hasModel(c) ? 1 : 0;
        }
        return n;
    }

    /** Starts producing rounds in the background, as fast as possible until {@link #pace} says otherwise. */
    void start() {
        plan = plan.startingNow();
        thread = new Thread(this::run, "fault-test-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on, at most this many rounds per second. */
    void pace(double roundsPerSecond) {
        this.roundsPerSecond = roundsPerSecond;
    }

    /** Rounds handed to the producer so far. */
    int rounds() {
        return roundsSent.get();
    }

    /** Waits until {@code round} rounds have been handed to the producer. */
    void awaitRounds(int round, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (roundsSent.get() < round) {
            failIfBroken();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the producer reached round " + roundsSent.get() + " of " + round + " in "
                        + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** The records acknowledged so far (in no particular order). */
    List<Input> acknowledged() {
        failIfBroken();
        return new ArrayList<>(inputs);
    }

    /** Stops after the round in progress, flushes, and returns every record written, by partition and offset. */
    /** The newest heartbeat time sent so far; {@link Long#MIN_VALUE} before the first. */
    long lastHeartbeatTime() {
        return lastHeartbeatTime;
    }

    List<Input> stop() throws InterruptedException {
        stopping = true;
        thread.join(TimeUnit.MINUTES.toMillis(6));
        producer.flush();
        failIfBroken();
        List<Input> all = new ArrayList<>(inputs);
        all.sort(Comparator.comparing(Input::topic).thenComparingInt(Input::partition).thenComparingLong(Input::offset));
        return all;
    }

    private void failIfBroken() {
        if (!failures.isEmpty()) {
            throw new AssertionError("the producer lost records: " + failures.peek(), failures.peek());
        }
    }

    private void run() {
        long t0 = System.nanoTime();
        double paced = 0;
        double lastRate = roundsPerSecond;
        try {
            for (int round = 0; !stopping; round++) {
                double rate = roundsPerSecond;
                if (rate != lastRate) {
                    // A new pace counts from now.
                    t0 = System.nanoTime();
                    paced = 0;
                    lastRate = rate;
                }
                if (Double.isFinite(rate)) {
                    long due = t0 + (long) (paced / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    paced++;
                }
                // Never ahead of the wall clock (the latest jitter included).
                long ahead = plan.base() + (round + 1) * 1000L - System.currentTimeMillis();
                if (ahead > 0) {
                    Thread.sleep(ahead);
                }
                sendRound(round);
                roundsSent.set(round + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private void sendRound(int round) {
        String telemetry = Topics.TELEMETRY.name();
        for (int c = 0; c < plan.channels(); c++) {
            if (plan.inGap(c, round)) {
                continue;
            }
            String channel = plan.channel(c);
            long t = plan.eventTime(c, round);
            sendPoint(round, channel, t, plan.value(c, round), null);
            // Judged against the channel's state: the same time again, then a time before the last.
            if (round > 0 && (c * 7 + round) % 500 == 0) {
                sendPoint(round, channel, t, plan.value(c, round), DeadLetterReason.DUPLICATE);
            }
            if (round > 0 && (c * 7 + round) % 500 == 250) {
                sendPoint(round, channel, t - 1, plan.value(c, round), DeadLetterReason.OUT_OF_ORDER);
            }
        }
        int c = (round * 37) % plan.channels();
        String channel = plan.channel(c);
        long t = plan.eventTime(c, round);
        switch (round % 10) {
            case 1 -> send(round, telemetry, key(channel), new byte[] {1, 2, 3, 4, 5}, t, channel, t + 1, DeadLetterReason.MALFORMED);
            case 2 -> send(round, telemetry, key(channel), null, t, channel, t + 2, DeadLetterReason.MALFORMED);
            case 3 -> send(round, telemetry, key(channel), new byte[] {0, 0x7f, 0x7f, 0x7f, 0x70, 2, 4, 6}, t, channel, t + 3,
                    DeadLetterReason.UNKNOWN_SCHEMA);
            case 4 -> sendPoint(round, channel, t + 4, Double.NaN, DeadLetterReason.INVALID_VALUE);
            case 6 -> {
                TelemetryPoint p = point(channel, t + 6, 1.0);
                send(round, telemetry, null, points.serializer().serialize(telemetry, p), t + 6, channel, t + 6,
                        DeadLetterReason.MISSING_KEY);
            }
            case 8 -> {
                TelemetryPoint p = point(channel, t + 8, 1.0);
                send(round, telemetry, key(plan.channel((c + 1) % plan.channels())), points.serializer().serialize(telemetry, p),
                        t + 8, channel, t + 8, DeadLetterReason.KEY_MISMATCH);
            }
            default -> { }
        }
        for (int n = 0; n < plan.nodes(); n++) {
            if (round >= plan.silentFrom(n)) {
                continue;
            }
            String node = String.format("node-%02d", n);
            long time = plan.heartbeatTime(n, round);
            lastHeartbeatTime = Math.max(lastHeartbeatTime, time);
            Heartbeat beat = Heartbeat.newBuilder().setNodeId(node).setTime(Instant.ofEpochMilli(time))
                    .setState(plan.heartbeatState(n, round)).setTarget(null).build();
            String topic = Topics.HEARTBEATS.name();
            producer.send(new ProducerRecord<>(topic, null, time, key(node), heartbeats.serializer().serialize(topic, beat)),
                    (m, e) -> {
                        if (e != null) {
                            failures.add(e);
                        }
                    });
            if (round == 5 && n == 7) {
                send(round, topic, key(node), new byte[] {9, 9, 9}, time, node, time, DeadLetterReason.MALFORMED);
            }
        }
    }

    private void sendPoint(int round, String channel, long t, double value, DeadLetterReason expected) {
        String topic = Topics.TELEMETRY.name();
        send(round, topic, key(channel), points.serializer().serialize(topic, point(channel, t, value)), t, channel, t, expected);
    }

    private static TelemetryPoint point(String channel, long t, double value) {
        return TelemetryPoint.newBuilder().setChannelId(channel).setSource("fault-test")
                .setEventTime(Instant.ofEpochMilli(t)).setValue(value).build();
    }

    private void send(int round, String topic, byte[] key, byte[] value, long timestamp, String channel, long eventTime,
                      DeadLetterReason expected) {
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), (metadata, e) -> {
            if (e != null) {
                failures.add(e);
            } else {
                inputs.add(new Input(topic, metadata.partition(), metadata.offset(), round, channel, eventTime, expected));
            }
        });
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    // ----- champions: the few lines of a valid release (see ReleaseCheck) -----

    /** Small windows so thresholds are decided often: batches of 5, 6 per window (h = 30), lS = 5. */
    private static TelemanomSettings settings() {
        return TelemanomSettings.newBuilder().setBatchSize(5).setWindowSize(6).setSmoothingPerc(0.1)
                .setErrorBuffer(2).setPruneP(0.13).setLS(5).build();
    }

    private static ModelRelease release(String channel, long seed, int units) {
        LstmArchitecture shape = LstmArchitecture.newBuilder().setInputSize(1).setLayers(2).setUnits(units)
                .setOutputSize(1).build();
        byte[] parameters = randomParameters(shape, seed);
        return ModelRelease.newBuilder()
                .setChannelId(channel)
                .setVersion(1)
                .setAlias("champion")
                .setArchitecture(shape)
                .setParameters(ByteBuffer.wrap(parameters))
                .setScaling(ScalingBounds.newBuilder().setMin(-2).setMax(2).build())
                .setSettings(settings())
                .setTrainingInfo(Map.of())
                .setMetrics(Map.of())
                .setChecksum(sha256Hex(parameters))
                .setReleasedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }

    /** DL4J's flat layout: per layer W [nIn, 4H], RW [H, 4H], b [4H]; then the dense W [H, out], b [out]. */
    private static byte[] randomParameters(LstmArchitecture a, long seed) {
        int h = a.getUnits();
        long n = 0;
        for (int l = 0; l < a.getLayers(); l++) {
            int nIn = l == 0 ? a.getInputSize() : h;
            n += (long) nIn * 4 * h + (long) h * 4 * h + 4L * h;
        }
        n += (long) h * a.getOutputSize() + a.getOutputSize();
        SplittableRandom random = new SplittableRandom(seed);
        double scale = Math.sqrt(6.0 / (5.0 * h));
        ByteBuffer out = ByteBuffer.allocate((int) n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            out.putFloat((float) ((random.nextDouble() * 2 - 1) * scale));
        }
        return out.array();
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stopping = true;
        producer.close(Duration.ofSeconds(10));
    }
}
