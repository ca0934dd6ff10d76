package io.vigil.topology.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.schemas.Topics;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.it.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;

/**
 * The scorer end to end on a real broker (in-process KRaft, so broker and scorer share the machine's
 * two cores): {@code channels} channels with 2x80 champions of distinct weights, {@code points} points
 * each pre-loaded onto the telemetry topic, interleaved across channels ({@link Fleet}); then the real
 * topology under Kafka Streams (exactly-once v2, one stream thread, commit interval 100 ms) scores
 * them as fast as it can ({@link StreamsRun}). Prints points per second by wall clock and per second
 * of stream-thread CPU (points per core), over the whole run and over its steady state (the last
 * fifth, from round 2,100 of 2,600: each channel's first threshold window closes there), and the
 * records and bytes per point written to the scorer's changelogs, all of them and by store.
 * {@code scripts/bench ratio} runs the same scorer on the same data next to what bounds it.
 *
 * <pre>
 * mvn -q -pl topology test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-Xmx4g --add-modules jdk.incubator.vector -cp %classpath io.vigil.topology.bench.PipelineBench 1000 2600 10485760"
 * </pre>
 * Arguments: channels (1000), points per channel (2600), the store cache in bytes
 * ({@code store.cache.bytes}; 0 turns caching off), weight precision (float32 or half).
 */
public final class PipelineBench {

    private static final String APPLICATION_ID = "pipeline-bench";

    private PipelineBench() {}

    public static void main(String[] args) throws Exception {
        PrintStream report = Bench.takeStdout();
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : RatioBench.DEFAULT_CHANNELS;
        int points = args.length > 1 ? Integer.parseInt(args[1]) : RatioBench.DEFAULT_POINTS;
        long cacheBytes = args.length > 2 ? Long.parseLong(args[2]) : 10L << 20;
        String precision = args.length > 3 ? args[3] : "float32";
        Path stateDir = Files.createTempDirectory("pipeline-bench");
        try (EmbeddedKafka kafka = new EmbeddedKafka();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            kafka.createTopics(Bench.PARTITIONS);
            TopologyConfig config = Bench.scorerConfig(kafka.bootstrapServers(), stateDir, APPLICATION_ID, channels, Map.of(
                    "vigil.scoring.model.precision", precision,
                    "vigil.store.cache.bytes", Long.toString(cacheBytes)));
            try (Fleet fleet = Fleet.bulk(kafka.bootstrapServers(), config, channels, Fleet.startFor(points))) {
                fleet.load(points, report);
            }
            StreamsRun.Result result = StreamsRun.run(VigilTopology.build(config, new SimpleMeterRegistry()),
                    config.streamsProperties(), admin, Topics.TELEMETRY.name(), (long) Fleet.steadyFrom(points) * channels);
            report.printf(Locale.ROOT, "%d channels x %d points = %,d points, %s%n", channels, points, result.points(),
                    Bench.describe(config));
            report.println("steady state: " + Fleet.describeWindow(points));
            result.printThroughput(report, "scorer");
            result.printChangelogs(report, "scorer");
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }
}
