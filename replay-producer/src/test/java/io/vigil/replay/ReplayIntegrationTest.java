package io.vigil.replay;

import io.vigil.replay.prometheus.PrometheusClient;
import io.vigil.replay.prometheus.PrometheusServer;
import io.vigil.replay.prometheus.RangePlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.Heartbeat;
import io.vigil.avro.LabelSegment;
import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.it.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay producer's command against a real broker (in-process KRaft) and an in-memory registry. */
class ReplayIntegrationTest {

    private static final String SCOPE = "replay-it";
    private static final int PARTITIONS = 3;
    private static final Map<String, String> REGISTRY = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    /** What the tests read back: the record and its decoded value. */
    record Received<T>(String key, int partition, long timestamp, T value) {}

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(PARTITIONS);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        MockSchemaRegistry.dropScope(SCOPE);
    }

    /** Runs the command as fast as it goes. */
    private static void replay(String... args) {
        List<String> all = new ArrayList<>(List.of("--speed", "0"));
        all.addAll(List.of(args));
        runCommand(all);
    }

    private static void runCommand(List<String> args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = ReplayProducer.commandLine(Settings.of(Map.of("vigil.bootstrap.servers", kafka.bootstrapServers(),
                "vigil.schema.registry.url", "mock://" + SCOPE)));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--progress-seconds", "0"));
        all.addAll(args);
        assertEquals(0, cl.execute(all.toArray(String[]::new)), err.toString());
    }

    /**
     * Every record of {@code topic} whose key matches, in partition then offset order, up to the log
     * ends; asserts there are {@code count} of them (unless it is negative).
     */
    private static <T extends org.apache.avro.specific.SpecificRecord> List<Received<T>> read(Topics.Spec topic, Class<T> type,
            Predicate<String> key, int count) {
        var deserializer = AvroSerde.configured(type, REGISTRY, false).deserializer();
        List<Received<T>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    if (key.test(k)) {
                        out.add(new Received<>(k, r.partition(), r.timestamp(), deserializer.deserialize(topic.name(), r.value())));
                    }
                }
            }
        }
        out.sort(Comparator.comparingInt((Received<T> r) -> r.partition()));
        if (count >= 0) {
            assertEquals(count, out.size(), "records of " + topic.name());
        }
        return out;
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private Path csv(String channel, long[] times) throws IOException {
        StringBuilder text = new StringBuilder("timestamp,value\n");
        for (long t : times) {
            text.append(t).append(',').append(t / 1000.0).append('\n');
        }
        Path file = dir.resolve(channel + ".csv");
        Files.writeString(file, text);
        return file;
    }

    private static long[] every(long first, long step, int count) {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = first + i * step;
        }
        return times;
    }

    @Test
    void interleavedChannelsArriveInEventTimeOrderPerPartitionAsSent() throws IOException {
        // two channels that share a partition (their interleaving is visible there) and one that does not
        List<String> names = new ArrayList<>();
        for (int i = 0; names.size() < 2; i++) {
            String name = "order-" + i;
            if (partitionOf(name) == partitionOf("order-0")) {
                names.add(name);
            }
        }
        String other = "order-x";
        for (int i = 0; partitionOf(other) == partitionOf("order-0"); i++) {
            other = "order-x" + i;
        }
        long base = 1_700_000_000_000L;
        replay(csv(names.get(0), every(base, 2000, 300)).toString(), csv(names.get(1), every(base + 1000, 2000, 300)).toString(),
                csv(other, every(base + 500, 1000, 600)).toString());

        List<Received<TelemetryPoint>> got = read(Topics.TELEMETRY, TelemetryPoint.class, k -> k.startsWith("order-"), 1200);
        for (Received<TelemetryPoint> r : got) {
            assertEquals(r.key(), r.value().getChannelId().toString());
            assertEquals(partitionOf(r.key()), r.partition());
        }
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            List<Long> times = got.stream().filter(r -> r.partition() == partition)
                    .map(r -> r.value().getEventTime().toEpochMilli()).toList();
            for (int i = 1; i < times.size(); i++) {
                assertTrue(times.get(i) > times.get(i - 1), "partition " + p + " is in event-time order at " + i);
            }
        }
        // on the shared partition: exactly the merged, alternating order the replay sent
        List<String> shared = got.stream().filter(r -> r.partition() == partitionOf("order-0")).map(Received::key).toList();
        assertEquals(600, shared.size());
        for (int i = 0; i < shared.size(); i++) {
            assertEquals(names.get(i % 2), shared.get(i));
        }
    }

    @Test
    void labelsArriveShiftedLikeThePointsAndBeforeThem() throws IOException {
        long base = 1_600_000_000_000L;
        Path points = csv("labeled-a", every(base, 60_000, 50));
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "channel,start,end,kind\nlabeled-a," + (base + 60_000) + "," + (base + 120_000) + ",early\n"
                + "labeled-a," + (base + 600_000) + "," + (base + 900_000) + ",spike\n");
        long before = System.currentTimeMillis();
        replay("--labels", labels.toString(), "--align-now", "--start-offset", "5m", points.toString());

        List<Received<TelemetryPoint>> got = read(Topics.TELEMETRY, TelemetryPoint.class, "labeled-a"::equals, 45);
        long first = got.get(0).value().getEventTime().toEpochMilli();
        long shift = first - (base + 300_000);
        assertTrue(first >= before, "aligned to now");
        List<Received<LabelSegment>> segments = read(Topics.LABELS, LabelSegment.class, "labeled-a"::equals, 1);
        LabelSegment spike = segments.get(0).value();
        assertEquals("spike", spike.getKind().toString(), "the window that ended before the start offset is not published");
        assertEquals(base + 600_000 + shift, spike.getStart().toEpochMilli());
        assertEquals(base + 900_000 + shift, spike.getEnd().toEpochMilli());
        assertEquals("replay", spike.getSource().toString());
        assertTrue(segments.get(0).timestamp() <= got.get(0).timestamp(), "published no later than the channel's first point");
        assertEquals(partitionOf("labeled-a"), segments.get(0).partition(), "co-partitioned with the channel's points");
    }

    @Test
    void everySeriesLapsOnItsOwnSoAShortOneStaysLiveWithItsLabelsShiftedByItsOwnLap() throws IOException {
        long base = 1_500_000_000_000L;
        Path a = csv("lap-a", every(base, 10_000, 10));
        Path b = csv("lap-b", every(base + 5_000, 10_000, 4));
        Path labels = dir.resolve("lap-labels.csv");
        Files.writeString(labels, "channel,start,end\nlap-a," + (base + 20_000) + "," + (base + 30_000) + "\n"
                + "lap-b," + (base + 15_000) + "," + (base + 25_000) + "\n");
        replay("--loop", "--limit", "50", "--labels", labels.toString(), a.toString(), b.toString());

        long lapA = 90_000 + 10_000; // each series' span plus its first step
        long lapB = 30_000 + 10_000;
        // Laps follow on without a gap, so the short series is as live as the long one: the 50 points
        // alternate a, b, a, b, ...; with laps of the whole set, b would be silent 60 s of every 100.
        List<Received<TelemetryPoint>> as = read(Topics.TELEMETRY, TelemetryPoint.class, "lap-a"::equals, 25);
        List<Received<TelemetryPoint>> bs = read(Topics.TELEMETRY, TelemetryPoint.class, "lap-b"::equals, 25);
        for (int i = 0; i < 25; i++) {
            assertEquals(base + (i / 10) * lapA + (i % 10) * 10_000L, as.get(i).value().getEventTime().toEpochMilli(), "a's point " + i);
            assertEquals(base + 5_000 + (i / 4) * lapB + (i % 4) * 10_000L, bs.get(i).value().getEventTime().toEpochMilli(),
                    "b's point " + i);
        }
        List<Received<LabelSegment>> lapsOfA = read(Topics.LABELS, LabelSegment.class, "lap-a"::equals, 3);
        for (int k = 0; k < 3; k++) {
            Received<LabelSegment> l = lapsOfA.get(k);
            assertEquals(base + 20_000 + k * lapA, l.value().getStart().toEpochMilli());
            assertEquals(base + 30_000 + k * lapA, l.value().getEnd().toEpochMilli());
            assertTrue(l.timestamp() <= as.get(k * 10).timestamp(), "published before a's lap " + k + "'s first point");
        }
        List<Received<LabelSegment>> lapsOfB = read(Topics.LABELS, LabelSegment.class, "lap-b"::equals, 7);
        for (int k = 0; k < 7; k++) {
            Received<LabelSegment> l = lapsOfB.get(k);
            assertEquals(base + 15_000 + k * lapB, l.value().getStart().toEpochMilli());
            assertTrue(l.timestamp() <= bs.get(k * 4).timestamp(), "published before b's lap " + k + "'s first point");
        }
    }

    /**
     * A real Prometheus scraping a target every second; its series are replayed by range queries. The
     * values are those served (sensor a: the scrape's number; b: minus half of it), at times on the
     * step grid, one channel per series named by the chosen label; a range too long for one query at
     * its step, which Prometheus itself refuses, is read in several.
     */
    @Test
    void prometheusSeriesAreReplayedByRangeQueriesThatStayUnderItsPointLimit() throws Exception {
        java.util.concurrent.atomic.AtomicLong scrapes = new java.util.concurrent.atomic.AtomicLong();
        java.util.Set<Double> served = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (PrometheusServer prometheus = PrometheusServer.start(dir, () -> {
            long n = scrapes.incrementAndGet();
            served.add((double) n);
            return "# TYPE vigil_test_temperature gauge\n"
                    + "vigil_test_temperature{sensor=\"a\"} " + n + "\n"
                    + "vigil_test_temperature{sensor=\"b\"} " + (-n / 2.0) + "\n";
        })) {
            PrometheusClient client = new PrometheusClient(prometheus.url());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long now = System.currentTimeMillis();
            while (client.queryRange("vigil_test_temperature", now - 60_000, now, 1000).stream()
                    .anyMatch(s -> s.times().length < 8) || client.queryRange("vigil_test_temperature", now - 60_000, now, 1000).size() < 2) {
                assertTrue(System.nanoTime() < deadline, "prometheus did not scrape 8 samples of both series within 60 s");
                Thread.sleep(500);
                now = System.currentTimeMillis();
            }
            long end = now;
            long start = end - 60_000;
            replay("--prometheus", prometheus.url(), "--prometheus-query", "vigil_test_temperature",
                    "--prometheus-start", Long.toString(start), "--prometheus-end", Long.toString(end),
                    "--prometheus-step", "1s", "--prometheus-channel-labels", "sensor");
            String a = "vigil_test_temperature/a";
            String b = "vigil_test_temperature/b";
            int expectedA = client.queryRange("vigil_test_temperature{sensor=\"a\"}", start, end, 1000).get(0).times().length;
            List<Received<TelemetryPoint>> as = read(Topics.TELEMETRY, TelemetryPoint.class, a::equals, expectedA);
            List<Received<TelemetryPoint>> bs = read(Topics.TELEMETRY, TelemetryPoint.class, b::equals, expectedA);
            for (int i = 0; i < as.size(); i++) {
                TelemetryPoint pa = as.get(i).value();
                long t = pa.getEventTime().toEpochMilli();
                assertEquals(0, (t - start) % 1000, "on the step grid: " + pa);
                assertTrue(i == 0 || t > as.get(i - 1).value().getEventTime().toEpochMilli(), "in time order");
                assertTrue(served.contains(pa.getValue()), "a value the target served: " + pa);
                assertEquals("prometheus", pa.getSource());
                assertEquals(pa.getEventTime(), bs.get(i).value().getEventTime());
                assertEquals(-pa.getValue() / 2.0, bs.get(i).value().getValue(), "b's scrape was a's");
            }

            // Four hours at one second are 14,401 points per series: Prometheus refuses that in one query.
            IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> client.queryRange("vigil_test_temperature", end - 4 * 3_600_000L, end, 1000));
            assertTrue(refused.getMessage().contains("11,000") || refused.getMessage().contains("11000"), refused.getMessage());
            RangePlan plan = RangePlan.of(end - 4 * 3_600_000L, end, 1000L);
            assertEquals(2, plan.windows().size());
            List<PrometheusClient.Samples> split = new ArrayList<>();
            for (long[] w : plan.windows()) {
                split.addAll(client.queryRange("vigil_test_temperature{sensor=\"a\"}", w[0], w[1], 1000));
            }
            assertTrue(split.stream().mapToInt(x -> x.times().length).sum() >= expectedA, "the recent samples, read in two queries");

            // The same four hours replayed: an expression (no metric name) whose channels, with no label
            // chosen, are every label as name=value; its two queries join into one series each.
            String doubled = "vigil_test_temperature * 2";
            int recent = client.queryRange(doubled, end - 60_000, end, 1000).get(0).times().length;
            replay("--prometheus", prometheus.url(), "--prometheus-query", doubled,
                    "--prometheus-start", Long.toString(end - 4 * 3_600_000L), "--prometheus-end", Long.toString(end),
                    "--prometheus-step", "1s");
            List<Received<TelemetryPoint>> joined = read(Topics.TELEMETRY, TelemetryPoint.class,
                    k -> k.startsWith("instance=127.0.0.1:") && k.endsWith("/job=vigil-test/sensor=a"), recent);
            assertEquals(as.stream().map(r -> 2 * r.value().getValue()).toList().subList(0, Math.min(as.size(), recent)),
                    joined.stream().map(r -> r.value().getValue()).toList().subList(0, Math.min(as.size(), recent)),
                    "the samples of the first replay, doubled");

            // Live: polled every second of real time for 6 s; each series' new samples once, in order.
            long liveFrom = System.currentTimeMillis();
            runCommand(List.of("--prometheus", prometheus.url(), "--prometheus-query", "vigil_test_temperature + 0",
                    "--prometheus-live", "--prometheus-step", "1s", "--prometheus-channel-labels", "job,sensor",
                    "--duration", "6s"));
            List<Received<TelemetryPoint>> live = read(Topics.TELEMETRY, TelemetryPoint.class, "vigil-test/a"::equals, -1);
            assertTrue(live.size() >= 4, "about one sample a second for 6 s: " + live.size());
            long first = live.get(0).value().getEventTime().toEpochMilli();
            long last = live.get(live.size() - 1).value().getEventTime().toEpochMilli();
            assertTrue(first >= Math.floorDiv(liveFrom, 1000) * 1000, "from the start of the live run, not before");
            assertEquals(client.queryRange("vigil_test_temperature{sensor=\"a\"}", first, last, 1000).get(0).times().length,
                    live.size(), "every sample from the first to the last, none missed");
            for (int i = 1; i < live.size(); i++) {
                assertTrue(live.get(i).value().getEventTime().isAfter(live.get(i - 1).value().getEventTime()), "none twice");
                assertTrue(served.contains(live.get(i).value().getValue()), "a value the target served");
            }
        }
    }

    @Test
    void nabAndTelemanomReplayTogetherWithTheirLabels() throws IOException {
        Path nab = dir.resolve("nab");
        Files.createDirectories(nab.resolve("data/realTraffic"));
        Files.createDirectories(nab.resolve("labels"));
        Files.writeString(nab.resolve("data/realTraffic/nab_speed.csv"),
                "timestamp,value\n2015-09-01 00:00:00,60\n2015-09-01 00:05:00,10\n2015-09-01 00:10:00,61\n");
        Files.writeString(nab.resolve("labels/combined_windows.json"),
                "{\"realTraffic/nab_speed.csv\": [[\"2015-09-01 00:05:00.000000\", \"2015-09-01 00:05:00.000000\"]]}");
        Path telemanom = dir.resolve("telemanom");
        Files.createDirectories(telemanom.resolve("test"));
        Files.write(telemanom.resolve("test/TM-1.npy"), io.vigil.datasets.NpyFiles.npy(1,
                new double[][] {{0.1, 0}, {0.2, 1}, {0.9, 0}, {0.3, 0}}));
        Files.writeString(telemanom.resolve("labeled_anomalies.csv"),
                "chan_id,spacecraft,anomaly_sequences,class,num_values\nTM-1,SMAP,\"[[2, 2]]\",[point],4\n");
        replay("--nab", nab.toString(), "--nab-category", "realTraffic", "--telemanom", telemanom.toString(),
                "--time-start", "2020-01-01T00:00:00Z", "--time-step", "1m");

        List<Received<TelemetryPoint>> points = read(Topics.TELEMETRY, TelemetryPoint.class, k -> k.equals("nab_speed") || k.equals("TM-1"), 7);
        assertEquals(List.of(0.1, 0.2, 0.9, 0.3), points.stream().filter(p -> p.key().equals("TM-1")).map(p -> p.value().getValue()).toList());
        List<Received<LabelSegment>> labels = read(Topics.LABELS, LabelSegment.class, k -> k.equals("nab_speed") || k.equals("TM-1"), 2);
        LabelSegment tm = labels.stream().filter(l -> l.key().equals("TM-1")).findFirst().orElseThrow().value();
        assertEquals(1_577_836_800_000L + 2 * 60_000, tm.getStart().toEpochMilli(), "index 2 on a one-minute axis from 2020-01-01");
        assertEquals("telemanom/SMAP", tm.getSource().toString());
        assertEquals("point", tm.getKind().toString());
        LabelSegment nabLabel = labels.stream().filter(l -> l.key().equals("nab_speed")).findFirst().orElseThrow().value();
        assertEquals(1_441_065_900_000L, nabLabel.getStart().toEpochMilli());
        assertEquals("nab-window", nabLabel.getKind().toString());
    }

    @Test
    void aSimulatedTelescopeFleetSendsHeartbeatsAndTelemetry() {
        replay("--simulate", "telescopes", "--nodes", "3", "--seed", "4", "--sim-start", "2024-01-01T00:00:00Z", "--duration", "10m",
                "--anomaly-rate", "0", "--source", "it-fleet");
        List<Received<Heartbeat>> beats = read(Topics.HEARTBEATS, Heartbeat.class, k -> k.startsWith("tel-"), countBeats());
        for (Received<Heartbeat> b : beats) {
            assertEquals(b.key(), b.value().getNodeId().toString());
            assertEquals(b.timestamp(), b.value().getTime().toEpochMilli());
        }
        // 3 nodes x 3 housekeeping channels x one sample every 10 s for 10 minutes (60 or 61 each)
        List<Received<TelemetryPoint>> points = read(Topics.TELEMETRY, TelemetryPoint.class, k -> k.startsWith("node/tel-"), countPoints());
        assertTrue(points.stream().allMatch(p -> p.value().getSource().toString().equals("it-fleet")));
    }

    /** Heartbeats the same simulation produces, counted without a broker. */
    private static int countBeats() {
        return (int) simulated().events.stream().filter(io.vigil.replay.event.RecordingSink.Beat.class::isInstance).count();
    }

    private static int countPoints() {
        return simulated().points().size();
    }

    private static io.vigil.replay.event.RecordingSink simulated() {
        long start = 1_704_067_200_000L;
        var config = io.vigil.replay.simulate.SimulationConfig.of(io.vigil.replay.simulate.FleetKind.TELESCOPES, 3, 4, start)
                .withAnomalies(0).withEnd(start + 600_000);
        return io.vigil.replay.event.RecordingSink.drainUntil(io.vigil.replay.simulate.Fleet.of(config), start + 600_000);
    }
}
