package io.vigil.topology.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.ChannelScore;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.it.EmbeddedKafka;
import io.vigil.topology.it.RegistryEndpoint;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The scorer's latency under a steady live load, on one in-process broker: a producer sends the
 * fleet's points at a fixed rate (round by round, so each channel gets {@code rate / channels}
 * points per second) while the scorer runs, and a read_committed consumer of the scores topic, as the
 * bridge reads it, sees each point's score. Latency is the consumer's {@link System#nanoTime} when
 * the score arrives minus the producer's just before it sent the point: one clock, this JVM's. It
 * covers the producer's batching, the scorer and the commit that makes the score visible
 * ({@code commit.interval.ms}), and the consumer's fetch.
 *
 * <p>Through the bridge ({@code scripts/bench browser}), the bridge also runs, in a JVM of its own
 * ({@link BridgeHop}), started once the history is scored, and a second latency is taken at an SSE
 * client of it in this JVM: from the same send to the moment the client reads the score's event, the
 * whole path from a sensor's append to a browser. The registry's schemas reach the bridge through a
 * {@link RegistryEndpoint} over the bench's in-memory registry.
 *
 * <p>First {@code history} rounds are pre-loaded and scored as fast as the scorer goes (by default
 * until every channel's first threshold window has closed), so the measured points meet a warm JVM
 * and channels in their steady state.
 */
final class LatencyBench {

    static final int DEFAULT_RATE = 5000;
    static final int DEFAULT_SECONDS = 60;

    private static final String APPLICATION_ID = "bench-latency";
    /** How long the scorer may take to score the history. */
    private static final Duration HISTORY_LIMIT = Duration.ofMinutes(30);
    /** How long after the last send the last scores may take before the missing ones are reported as such. */
    private static final Duration DRAIN = Duration.ofSeconds(60);
    /** The paced producer sends whatever is due, then sleeps this long. */
    private static final long PACE_NANOS = 200_000;
    /** The reader's longest wait for a fetch; short, so that its waiting adds nothing to the latency. */
    private static final int FETCH_MAX_WAIT_MS = 10;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration READY_LIMIT = Duration.ofSeconds(30);
    private static final Path BRIDGE_LOG = Path.of("topology/target/bench-bridge.log");

    private LatencyBench() {}

    /** How the HTTP ingest bench sends: {@code clients} concurrent clients, {@code batch} points per request, paced or in a burst. */
    record Ingest(int clients, int batch, boolean burst) {}

    static void run(PrintStream report, int channels, int rate, int seconds, int history, boolean throughBridge)
            throws Exception {
        run(report, channels, rate, seconds, history, throughBridge, null);
    }

    /** With {@code ingest}, points reach Kafka through the bridge's HTTP ingest instead of a producer. */
    static void run(PrintStream report, int channels, int rate, int seconds, int history, boolean throughBridge, Ingest ingest)
            throws Exception {
        long total = (long) rate * seconds;
        int pacedRounds = (int) ((total + channels - 1) / channels);
        Path stateDir = Files.createTempDirectory("vigil-bench");
        RegistryEndpoint registry = null;
        try (EmbeddedKafka kafka = new EmbeddedKafka();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            kafka.createTopics(Bench.PARTITIONS);
            TopologyConfig config = Bench.scorerConfig(kafka.bootstrapServers(), stateDir, APPLICATION_ID, channels, Map.of());
            report.printf(Locale.ROOT, "latency bench: %,d channels, %,d points/s for %d s (%,d points) after %,d rounds of history,"
                    + " one in-process broker, %d partitions; %s%n", channels, rate, seconds, total, history,
                    Bench.PARTITIONS, Bench.describe(config));
            long t0 = Fleet.startFor(history + pacedRounds);
            try (Fleet bulk = Fleet.bulk(kafka.bootstrapServers(), config, channels, t0)) {
                bulk.load(history, report);
            }
            try (KafkaStreams streams = new KafkaStreams(VigilTopology.build(config, new SimpleMeterRegistry()),
                    config.streamsProperties());
                 Fleet live = Fleet.live(kafka.bootstrapServers(), config, channels, t0)) {
                long started = System.nanoTime();
                streams.start();
                new GroupProgress(admin, APPLICATION_ID, Topics.MODELS.name()).awaitEnd(HISTORY_LIMIT);
                new GroupProgress(admin, APPLICATION_ID, Topics.TELEMETRY.name()).awaitEnd(HISTORY_LIMIT);
                report.printf(Locale.ROOT, "history scored in %.1f s%n", (System.nanoTime() - started) / 1e9);

                AtomicLongArray sent = new AtomicLongArray((int) total);
                long[] latency = new long[(int) total];
                Arrays.fill(latency, -1);
                AtomicLongArray browserLatency = new AtomicLongArray((int) total);
                for (int i = 0; i < total; i++) {
                    browserLatency.set(i, -1);
                }
                BridgeHop bridge = null;
                try {
                    if (throughBridge || ingest != null) {
                        registry = new RegistryEndpoint(Bench.REGISTRY.substring(Bench.REGISTRY.indexOf("://") + 3));
                        bridge = BridgeHop.start(kafka.bootstrapServers(), registry.url(), BRIDGE_LOG, ingest != null);
                        bridge.awaitReady(READY_LIMIT);
                    }
                    if (throughBridge) {
                        bridge.read(live, history, sent, browserLatency);
                        report.printf(Locale.ROOT, "bridge ready (-Xmx%s, its log in %s), one SSE client on /events?type=score%n",
                                BridgeHop.HEAP, BRIDGE_LOG);
                    }
                    if (ingest != null) {
                        report.printf(Locale.ROOT, "bridge ready (-Xmx%s, its log in %s), taking points on %s%n",
                                BridgeHop.HEAP, BRIDGE_LOG, BridgeHop.INGEST_PATH);
                    }
                    ScoreReader reader = new ScoreReader(kafka.bootstrapServers(), config, live, history, sent, latency);
                    Thread readerThread = new Thread(reader, "bench-score-reader");
                    readerThread.start();
                    reader.awaitReady();

                    long sendStarted = System.nanoTime();
                    IngestLoad load = null;
                    if (ingest != null) {
                        load = new IngestLoad(bridge.uri(BridgeHop.INGEST_PATH), live, history, total, ingest.clients(),
                                ingest.batch(), ingest.burst() ? 0 : rate, sent);
                        load.run();
                        load.report(report, (System.nanoTime() - sendStarted) / 1e9);
                    } else {
                        int next = 0;
                        while (next < total) {
                            long due = Math.min(total, (System.nanoTime() - sendStarted) * rate / 1_000_000_000L + 1);
                            for (; next < due; next++) {
                                sent.set(next, System.nanoTime());
                                live.sendPaced(history, next);
                            }
                            LockSupport.parkNanos(PACE_NANOS);
                        }
                        live.flush();
                        double sendSeconds = (System.nanoTime() - sendStarted) / 1e9;
                        report.printf(Locale.ROOT, "sent %,d points in %.1f s (%,.0f points/s)%n", total, sendSeconds, total / sendSeconds);
                    }
                    long expected = load == null ? total : total - load.failed();

                    long drainEnd = System.nanoTime() + DRAIN.toNanos();
                    while ((reader.received() < expected || throughBridge && bridge.received() + bridge.dropped() < total)
                            && System.nanoTime() < drainEnd) {
                        Thread.sleep(POLL.toMillis());
                    }
                    reader.stop();
                    readerThread.join();
                    streams.close(Duration.ofSeconds(30));

                    summarise(report, "read_committed", ingest != null ? "visible score (ingest to score)" : "visible score", latency, total);
                    if (throughBridge) {
                        long bridgePeakMiB = bridge.peakRssMiB();
                        // Stopping the bridge ends the stream: from here on its client's counts stay as they are.
                        bridge.close();
                        long[] browser = new long[(int) total];
                        for (int i = 0; i < total; i++) {
                            browser[i] = browserLatency.get(i);
                        }
                        long seen = summarise(report, "SSE client of the bridge", "score event at the SSE client", browser, total);
                        report.printf(Locale.ROOT, "dropped by the bridge for the SSE client, by its own notices: %,d"
                                + " (its client queue holds bridge.client.queue.size events; received + dropped = %,d of %,d;"
                                + " lines the client could not read: %,d)%n",
                                bridge.dropped(), seen + bridge.dropped(), total, bridge.unreadable());
                        report.printf(Locale.ROOT, "peak RSS (VmHWM): bridge JVM %,d MB; this JVM (broker, scorer, producer, readers) %,d MB%n",
                                bridgePeakMiB, Footprint.peakRssBytes() >> 20);
                    }
                } finally {
                    if (bridge != null) {
                        bridge.close();
                    }
                }
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
            Utils.delete(stateDir.toFile());
        }
    }

    /** Reports how many of the {@code total} points arrived and their latency percentiles; returns how many arrived. */
    private static long summarise(PrintStream report, String reader, String arrival, long[] latency, long total) {
        long[] seen = Arrays.stream(latency).filter(l -> l >= 0).sorted().toArray();
        report.printf(Locale.ROOT, "received %,d of %,d scores (%s)%s%n", seen.length, total, reader,
                seen.length < total ? String.format(Locale.ROOT, "; the rest not within %d s of the last send", DRAIN.toSeconds()) : "");
        if (seen.length == 0) {
            throw new IllegalStateException("no score arrived at the " + reader);
        }
        report.printf(Locale.ROOT, "latency from send to %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", arrival,
                percentile(seen, 0.50) / 1e6, percentile(seen, 0.95) / 1e6, percentile(seen, 0.99) / 1e6, seen[seen.length - 1] / 1e6);
        return seen.length;
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * Reads the scores topic from its end (so no history score) and, for each paced point's score,
     * records its latency by point index: round and channel, from the score's event time and id.
     */
    private static final class ScoreReader implements Runnable {
        private final KafkaConsumer<byte[], ChannelScore> consumer;
        private final Fleet fleet;
        private final int history;
        private final AtomicLongArray sent;
        private final long[] latency;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final CountDownLatch ready = new CountDownLatch(1);
        private volatile long received;

        ScoreReader(String bootstrap, TopologyConfig config, Fleet fleet, int history, AtomicLongArray sent, long[] latency) {
            Map<String, Object> p = new HashMap<>();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
            this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                    AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false).deserializer());
            this.fleet = fleet;
            this.history = history;
            this.sent = sent;
            this.latency = latency;
        }

        @Override
        public void run() {
            try (consumer) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.SCORES.name()).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                ready.countDown();
                while (running.get()) {
                    var records = consumer.poll(POLL);
                    long now = System.nanoTime();
                    for (ConsumerRecord<byte[], ChannelScore> r : records) {
                        int index = fleet.pacedIndex(history, r.value().getEventTime().toEpochMilli(), r.value().getChannelId());
                        if (index >= 0 && index < latency.length && latency[index] < 0) {
                            latency[index] = now - sent.get(index);
                            received++;
                        }
                    }
                }
            }
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(READY_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the score reader did not reach the end of " + Topics.SCORES.name()
                        + " within " + READY_LIMIT);
            }
        }

        long received() {
            return received;
        }

        void stop() {
            running.set(false);
        }
    }
}
