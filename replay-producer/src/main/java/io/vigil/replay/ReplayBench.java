package io.vigil.replay;

import io.vigil.config.ClientSettings;
import io.vigil.config.Settings;
import io.vigil.replay.kafka.KafkaPublisher;
import io.vigil.replay.kafka.ProducerSettings;
import io.vigil.replay.run.Pacer;
import io.vigil.replay.run.Progress;
import io.vigil.replay.run.RunLimits;
import io.vigil.replay.run.RunSummary;
import io.vigil.replay.run.Runner;
import io.vigil.replay.run.StopSignal;
import io.vigil.replay.schedule.ReplaySchedule;
import io.vigil.replay.source.Series;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the replay's as-fast-as-possible throughput against a real broker: synthetic in-memory series
 * go through the same schedule, publisher and producer settings as a replay, and the rate printed counts
 * records acknowledged by the broker (the clock stops after the final flush). A warm-up run first lets
 * the JIT and the broker settle.
 */
@Command(name = "replay-bench", mixinStandardHelpOptions = true,
        description = "Print the records/s an as-fast-as-possible replay reaches on this broker.")
public final class ReplayBench implements Callable<Integer> {

    @Option(names = "--bootstrap", description = "Broker (default: setting bootstrap.servers, else localhost:9092).")
    String bootstrap;

    @Option(names = "--registry", description = "Registry URL; mock://bench needs none (default: setting schema.registry.url, else mock://bench).")
    String registry;

    @Option(names = "--channels", defaultValue = "100", description = "Channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--points", defaultValue = "30000", description = "Points per channel (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--warmup", defaultValue = "500000", description = "Records of the warm-up run (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of topics created if missing (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--producer-config", paramLabel = "KEY=VALUE", description = "Producer setting overriding Vigil's; repeatable.")
    Map<String, String> producerConfig = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplayBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.fromSystem();
        ClientSettings clients = ClientSettings.from(settings);
        if (bootstrap != null) {
            clients = clients.withBootstrapServers(bootstrap);
        }
        clients = clients.withRegistryUrl(registry != null ? registry : settings.get("schema.registry.url", "mock://bench"));
        try (Admin admin = Admin.create(clients.admin(Map.of()))) {
            new TopicProvisioner(admin).ensure(Topics.all(), partitions, (short) 1, Duration.ofSeconds(30));
        }
        ProducerSettings producer = new ProducerSettings(clients, ProducerSettings.DEFAULT_DELIVERY_TIMEOUT,
                ProducerSettings.DEFAULT_MAX_BLOCK, producerConfig);
        long base = System.currentTimeMillis();
        try (KafkaPublisher publisher = KafkaPublisher.connect(producer, clients.registry().serdeConfig())) {
            if (warmup > 0) {
                run(publisher, series("bench-warmup-", channels, Math.max(1, warmup / channels), base), "warm-up");
            }
            RunSummary s = run(publisher, series("bench-", channels, points, base), "bench");
            long records = s.counts().total();
            long acked = s.counts().acknowledged();
            System.out.printf("replay-bench: %,d records (%d channels x %,d points) in %.2f s = %,.0f records/s acknowledged by %s%s%n",
                    records, channels, points, s.seconds(), acked / s.seconds(), clients.bootstrapServers(),
                    s.failure() == null ? "" : " FAILED: " + s.failure());
            return s.failure() == null ? 0 : 3;
        }
    }

    private static RunSummary run(KafkaPublisher publisher, List<Series> series, String name) {
        Runner runner = new Runner(new ReplaySchedule(series, ReplaySchedule.Options.plain()), publisher, new Pacer(0),
                RunLimits.none(), new Progress(name, TimeUnit.SECONDS.toNanos(2)), new StopSignal());
        RunSummary summary = runner.run();
        new Progress(name, 0).summary(summary);
        return summary;
    }

    /** Channels of one point per second ending before {@code base}, interleaved in time. */
    private static List<Series> series(String prefix, int channels, int points, long base) {
        SplittableRandom random = new SplittableRandom(42);
        List<Series> all = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            long[] times = new long[points];
            double[] values = new double[points];
            for (int i = 0; i < points; i++) {
                times[i] = base - (points - i) * 1000L + c;
                values[i] = Math.sin(i / 50.0) * 10 + random.nextGaussian();
            }
            all.add(new Series(String.format("%s%03d", prefix, c), "bench", times, values, List.of()));
        }
        return all;
    }
}
