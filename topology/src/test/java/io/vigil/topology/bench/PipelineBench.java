package io.vigil.topology.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.it.EmbeddedKafka;
import io.vigil.topology.scoring.TestModels;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The scorer end to end on a real broker (in-process KRaft, so broker and scorer share the machine's
 * two cores): {@code channels} channels with 2x80 champions of distinct weights, {@code points} points
 * each pre-loaded onto the telemetry topic, interleaved across channels; then the real topology under
 * {@link KafkaStreams} (exactly-once v2, one stream thread, commit interval 100 ms) scores them as fast
 * as it can. Prints points per second by wall clock and per second of stream-thread CPU (points per
 * core), over the whole run and over its last fifth (from round 2,080 of 2,600: each channel's first
 * threshold window closes at round 2,100, so the tail is the steady state),
 * and the records and bytes per point written to the changelogs of the channel state (record and window).
 *
 * <pre>
 * mvn -q -pl topology test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-Xmx4g --add-modules jdk.incubator.vector -cp %classpath io.vigil.topology.bench.PipelineBench 1000 2600 10485760"
 * </pre>
 * Arguments: channels (1000), points per channel (2600), the store cache in bytes
 * ({@code store.cache.bytes}; 0 turns caching off), weight precision (float32 or half).
 */
public final class PipelineBench {

    private static final LstmArchitecture SHAPE = TestModels.shape(2, 80);

    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int points = args.length > 1 ? Integer.parseInt(args[1]) : 2600;
        long cacheBytes = args.length > 2 ? Long.parseLong(args[2]) : 10L << 20;
        String precision = args.length > 3 ? args[3] : "float32";
        String scope = "mock://pipeline-bench";
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(2);
            TopologyConfig config = TopologyConfig.from(Settings.of(Map.of(
                    "vigil.bootstrap.servers", kafka.bootstrapServers(),
                    "vigil.schema.registry.url", scope,
                    "vigil.state.dir", Files.createTempDirectory("pipeline-bench").toString(),
                    "vigil.application.id", "pipeline-bench",
                    "vigil.scoring.model.precision", precision,
                    "vigil.store.cache.bytes", Long.toString(cacheBytes))));
            // Recent event times: the broker's retention check deletes whole logs of data older than retention.
            long t0 = System.currentTimeMillis() - points * 60_000L;
            long total = load(kafka, config, channels, points, t0);

            Properties props = config.streamsProperties();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (KafkaStreams streams = new KafkaStreams(VigilTopology.build(config, new SimpleMeterRegistry()), props);
                 Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                streams.start();
                Map<TopicPartition, Long> ends = endOffsets(admin, Topics.TELEMETRY.name());
                long started = System.nanoTime();
                long cpuStarted = streamThreadCpu(threads);
                long tailFrom = total - total / 5;
                long tailStarted = 0;
                long tailCpu = 0;
                long done = 0;
                while (done < total) {
                    Thread.sleep(250);
                    done = committed(admin, "pipeline-bench", ends.keySet());
                    if (tailStarted == 0 && done >= tailFrom) {
                        tailStarted = System.nanoTime();
                        tailCpu = streamThreadCpu(threads);
                        tailFrom = done;
                    }
                    if (System.nanoTime() - started > Duration.ofMinutes(30).toNanos()) {
                        throw new IllegalStateException("not done after 30 minutes: " + done + " of " + total);
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                double cpu = (streamThreadCpu(threads) - cpuStarted) / 1e9;
                double tailSeconds = (System.nanoTime() - tailStarted) / 1e9;
                double tailCpuSeconds = (streamThreadCpu(threads) - tailCpu) / 1e9;
                double[] changelog = changelogWrites(streams);
                System.out.printf(Locale.ROOT, "%d channels x %d points = %,d points, store cache %,d bytes, %s weights%n",
                        channels, points, total, cacheBytes, precision);
                System.out.printf(Locale.ROOT, "whole run: %.1f s, %,.0f points/s wall, %,.0f points per stream-thread CPU second%n",
                        seconds, total / seconds, total / cpu);
                System.out.printf(Locale.ROOT, "last %,d points (steady state): %,.0f points/s wall, %,.0f points per stream-thread CPU second%n",
                        total - tailFrom, (total - tailFrom) / tailSeconds, (total - tailFrom) / tailCpuSeconds);
                System.out.printf(Locale.ROOT, "channel state changelog writes: %,.0f records (%.2f per point), %,.0f bytes"
                        + " (%.0f per point)%n", changelog[0], changelog[0] / total, changelog[1], changelog[1] / total);
                streams.close(Duration.ofSeconds(30));
            }
        }
    }

    /** Champions for every channel, then the points round by round; returns the number of points. */
    private static long load(EmbeddedKafka kafka, TopologyConfig config, int channels, int points, long t0) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        Serializer<ModelRelease> releases = AvroSerde.configured(ModelRelease.class, config.serdeConfig(), false).serializer();
        Serializer<TelemetryPoint> values = AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).serializer();
        long loadStarted = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int c = 0; c < channels; c++) {
                String id = "channel-" + c;
                ModelRelease release = TestModels.champion(id, 1, SHAPE, TestModels.randomParameters(SHAPE, c), -1.5, 1.5,
                        ThresholdSettings.DEFAULT).build();
                producer.send(new ProducerRecord<>(Topics.MODELS.name(), null, t0, key(id),
                        releases.serialize(Topics.MODELS.name(), release)));
            }
            producer.flush();
            for (int round = 0; round < points; round++) {
                long time = t0 + round * 60_000L;
                for (int c = 0; c < channels; c++) {
                    String id = "channel-" + c;
                    double value = Math.sin(round / 40.0 + c) + 0.01 * ((round * 31 + c) % 7);
                    TelemetryPoint point = new TelemetryPoint(id, "bench", Instant.ofEpochMilli(time), value);
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), null, time, key(id),
                            values.serialize(Topics.TELEMETRY.name(), point)));
                }
            }
            producer.flush();
        }
        long total = (long) channels * points;
        System.out.printf(Locale.ROOT, "loaded %,d models and %,d points in %.1f s%n", channels, total, (System.nanoTime() - loadStarted) / 1e9);
        return total;
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static long committed(Admin admin, String group, Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return partitions.stream().mapToLong(tp -> offsets.containsKey(tp) ? offsets.get(tp).offset() : 0).sum();
    }

    private static long streamThreadCpu(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("StreamThread")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** Records and bytes sent to the changelogs of the channel record and window stores (before compaction). */
    private static double[] changelogWrites(KafkaStreams streams) {
        double records = 0;
        double bytes = 0;
        for (var e : streams.metrics().entrySet()) {
            var name = e.getKey();
            String topic = name.tags().get("topic");
            if (!name.group().equals("producer-topic-metrics") || topic == null
                    || !(topic.endsWith(VigilTopology.CHANNEL_STATE_STORE + "-changelog")
                            || topic.endsWith(VigilTopology.WINDOW_STORE + "-changelog"))) {
                continue;
            }
            double value = ((Number) e.getValue().metricValue()).doubleValue();
            if (name.name().equals("record-send-total")) {
                records += value;
            } else if (name.name().equals("byte-total")) {
                bytes += value;
            }
        }
        return new double[] {records, bytes};
    }
}
