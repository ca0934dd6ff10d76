package io.vigil.bridge.bench;

import io.vigil.avro.ChannelScore;
import io.vigil.bridge.testing.Producer;
import io.vigil.topology.it.BridgeJvm;
import io.vigil.topology.it.EmbeddedKafka;
import io.vigil.topology.it.ProcFs;
import io.vigil.topology.it.RegistryEndpoint;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Fan-out benchmark: {@value #CLIENTS} concurrent SSE clients on loopback, every one receiving every
 * score, while {@value #RATE} scores a second are produced; reports delivery latency (Kafka record
 * timestamp, set at send time, to the moment a client reads the event's bytes) at p50/p99 and the
 * bridge's memory. Target: p99 under 250 ms. Bounded: {@value #WARMUP_SECONDS} s of warm-up and
 * {@value #MEASURE_SECONDS} s measured at a fixed rate, then it stops by itself (about a minute and a
 * half in all, including the broker's start).
 *
 * <p>Layout: this JVM runs a real broker (EmbeddedKafka), the producer, a read-only schema registry
 * endpoint and the clients (one selector thread); the bridge runs in its own JVM with {@code -Xmx256m},
 * as the local stack runs it, so its RSS and heap are its own. Run from the repository root:
 *
 * <pre>
 * mvn -o -q -pl sse-bridge test-compile exec:exec@fanout-bench
 * </pre>
 *
 * Results are printed and written to {@code sse-bridge/target/fanout-bench.txt}; the bridge's log
 * to {@code sse-bridge/target/fanout-bench-bridge.log}. There are deliberately no knobs: the figures
 * are meant to be comparable from run to run.
 */
public final class FanOutBench {

    static final int CLIENTS = 1000;
    static final int RATE = 2000;
    static final int CHANNELS = 500;
    static final int PARTITIONS = 4;
    static final int SAMPLE_EVERY = 10;
    static final int WARMUP_SECONDS = 15;
    static final int MEASURE_SECONDS = 30;
    private static final java.util.concurrent.atomic.AtomicLong PRODUCED = new java.util.concurrent.atomic.AtomicLong();

    public static void main(String[] args) throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        String scope = "bench-" + UUID.randomUUID();
        StringBuilder report = new StringBuilder();
        long started = System.nanoTime();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        try (EmbeddedKafka kafka = new EmbeddedKafka();
             RegistryEndpoint registry = new RegistryEndpoint(scope);
             Producer producer = new Producer(kafka.bootstrapServers(), "mock://" + scope, 5)) {
            kafka.createTopics(PARTITIONS);
            try (BridgeJvm bridge = BridgeJvm.start(System.getProperty("java.class.path"), "256m", Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", registry.url(),
                    "bridge.max.clients", Integer.toString(CLIENTS + 10),
                    "bridge.lookback.scores", "0"), target.resolve("fanout-bench-bridge.log"))) {
                bridge.awaitReady(Duration.ofSeconds(60));
                try (BenchClients clients = new BenchClients(new InetSocketAddress("127.0.0.1", bridge.port()),
                        "/events?type=score", CLIENTS, SAMPLE_EVERY)) {
                    awaitConnected(clients, bridge);
                    Thread producing = produceAt(producer, WARMUP_SECONDS + MEASURE_SECONDS);
                    Thread.sleep(WARMUP_SECONDS * 1000L);
                    double cpu0 = ProcFs.cpuSeconds(bridge.pid());
                    double benchCpu0 = ProcFs.cpuSeconds(ProcessHandle.current().pid());
                    double dropped0 = bridge.metric("vigil_bridge_events_dropped_total");
                    double published0 = bridge.metric("vigil_bridge_events_published_total");
                    long produced0 = PRODUCED.get();
                    clients.measure(true);
                    long maxRss = 0;
                    double maxHeap = 0;
                    double maxQueue = 0;
                    for (int s = 0; s < MEASURE_SECONDS; s++) {
                        Thread.sleep(1000);
                        maxRss = Math.max(maxRss, ProcFs.memoryMiB(bridge.pid(), ProcFs.RSS));
                        maxHeap = Math.max(maxHeap, bridge.metric("jvm_memory_used_bytes{area=\"heap\""));
                        maxQueue = Math.max(maxQueue, bridge.metric("vigil_bridge_queue_depth_max "));
                    }
                    clients.measure(false);
                    double cpu = ProcFs.cpuSeconds(bridge.pid()) - cpu0;
                    double benchCpu = ProcFs.cpuSeconds(ProcessHandle.current().pid()) - benchCpu0;
                    double published = bridge.metric("vigil_bridge_events_published_total") - published0;
                    long produced = PRODUCED.get() - produced0;
                    producing.join();
                    Thread.sleep(2000);
                    LatencyHistogram h = clients.histogram();
                    long expected = (long) published * clients.sampledClients();
                    line(report, "fan-out bench: %d SSE clients x %d scores/s (%d channels, %d partitions), "
                            + "%d s measured after %d s warm-up", CLIENTS, RATE, CHANNELS, PARTITIONS,
                            MEASURE_SECONDS, WARMUP_SECONDS);
                    line(report, "delivery latency (record timestamp -> client read), %d samples from %d clients:",
                            h.count(), clients.sampledClients());
                    line(report, "  p50 %d ms   p90 %d ms   p99 %d ms   p99.9 %d ms   max %d ms   (target p99 < 250 ms)",
                            h.quantile(0.5), h.quantile(0.9), h.quantile(0.99), h.quantile(0.999), h.max());
                    line(report, "  rate achieved while measuring: produced %.0f/s, published by the bridge %.0f/s; "
                            + "samples %d of %d published x sampled clients", produced / (double) MEASURE_SECONDS,
                            published / MEASURE_SECONDS, h.count(), expected);
                    line(report, "bridge JVM (-Xmx256m): max RSS %d MiB, max heap used %.0f MiB, CPU %.2f cores",
                            maxRss, maxHeap / (1 << 20), cpu / MEASURE_SECONDS);
                    long[] spread = clients.sampledSpread();
                    line(report, "clients open at the end: %d here, %.0f at the bridge; events per sampled client %d..%d",
                            clients.open(), bridge.metric("vigil_bridge_clients "), spread[0], spread[1]);
                    line(report, "this JVM (broker, producer, %d clients): CPU %.2f cores", CLIENTS,
                            benchCpu / MEASURE_SECONDS);
                    line(report, "events sent %.0f, dropped during measurement %.0f (drop notices seen %d), "
                            + "fullest client queue %.0f", bridge.metric("vigil_bridge_events_sent_total"),
                            bridge.metric("vigil_bridge_events_dropped_total") - dropped0, clients.dropNotices(),
                            maxQueue);
                    line(report, "client bytes read %d MiB; cores on this machine %d; run took %d s",
                            clients.bytesRead() >> 20, Runtime.getRuntime().availableProcessors(),
                            Duration.ofNanos(System.nanoTime() - started).toSeconds());
                    line(report, "load average before: %s; after: %s (the machine is shared)", loadBefore,
                            Files.readString(Path.of("/proc/loadavg")).trim());
                }
            }
        }
        Files.writeString(target.resolve("fanout-bench.txt"), report);
        System.exit(0); // the broker's and clients' threads are done; do not wait for stragglers
    }

    /** Produces {@link #RATE} scores a second over {@link #CHANNELS} channels for {@code seconds}. */
    private static Thread produceAt(Producer producer, int seconds) {
        List<ChannelScore> templates = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            templates.add(Producer.scoreOf("bench-channel-" + c, 0, 1.0, false));
        }
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            long total = (long) RATE * seconds;
            for (long i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long now = System.currentTimeMillis();
                ChannelScore score = ChannelScore.newBuilder(templates.get((int) (i % CHANNELS)))
                        .setEventTime(Instant.ofEpochMilli(now)).setValue(i).setScoredAt(Instant.ofEpochMilli(now))
                        .build();
                producer.scoreAsync(score, now);
                PRODUCED.incrementAndGet();
            }
            producer.flush();
        }, "bench-producer");
        thread.start();
        return thread;
    }

    private static void awaitConnected(BenchClients clients, BridgeJvm bridge) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (clients.responded() < CLIENTS || bridge.metric("vigil_bridge_clients ") < CLIENTS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(clients.responded() + " of " + CLIENTS + " clients connected");
            }
            Thread.sleep(200);
        }
    }

    private static void line(StringBuilder report, String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }

    private FanOutBench() {}
}
