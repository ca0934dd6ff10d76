package io.vigil.topology.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.schemas.Topics;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.it.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;

/**
 * How close the scorer comes to what this machine allows, in one run on one broker (in-process
 * KRaft, sharing the machine's cores with everything else here). The fleet's champions and points
 * ({@link Fleet}) are loaded onto the topics once; then, one after the other:
 *
 * <ol>
 *   <li>a trivial stateful topology ({@link CountingTopology}) reads them under the scorer's Streams
 *       settings ({@link TopologyConfig#streamsProperties()}, its own application id): what Kafka,
 *       Streams, exactly-once and a cached RocksDB store cost per point;
 *   <li>the LSTM step alone over the same fleet, channels interleaved ({@link InterleavedSteps});
 *   <li>the scorer ({@link VigilTopology}) reads them.
 * </ol>
 *
 * The limit is a scorer that costs no more than the two parts it cannot avoid: 1 / (trivial time per
 * point + step time per point). Throughputs are by wall clock in the steady-state window
 * ({@link Fleet#steadyFrom}), the same points for both topologies. The last line of the report is
 * {@code scorer/limit throughput ratio: X.XX}.
 */
final class RatioBench {

    static final int DEFAULT_CHANNELS = 1000;
    /** Rounds by default: 500 past the first threshold window's close, as PipelineBench always ran. */
    static final int DEFAULT_POINTS = 2600;
    /**
     * Rounds by default for fleets above {@link #DEFAULT_CHANNELS}: 100 past the close are already a
     * million points at 10,000 channels, and the load and the runs grow with every round.
     */
    static final int LARGE_FLEET_POINTS = 2200;

    private static final String TRIVIAL_ID = "bench-trivial";
    private static final String SCORER_ID = "bench-scorer";

    private RatioBench() {}

    static int defaultPoints(int channels) {
        return channels > DEFAULT_CHANNELS ? LARGE_FLEET_POINTS : DEFAULT_POINTS;
    }

    static void run(PrintStream report, int channels, int points) throws Exception {
        Path stateDir = Files.createTempDirectory("vigil-bench");
        try (EmbeddedKafka kafka = new EmbeddedKafka();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            kafka.createTopics(Bench.PARTITIONS);
            admin.createTopics(List.of(new NewTopic(CountingTopology.OUTPUT, Bench.PARTITIONS, (short) 1))).all().get();
            TopologyConfig trivial = Bench.scorerConfig(kafka.bootstrapServers(), stateDir, TRIVIAL_ID, channels, Map.of());
            TopologyConfig scorer = Bench.scorerConfig(kafka.bootstrapServers(), stateDir, SCORER_ID, channels, Map.of());
            report.printf(Locale.ROOT, "ratio bench: %,d channels x %,d points, one in-process broker, %d partitions; %s%n",
                    channels, points, Bench.PARTITIONS, Bench.describe(scorer));
            try (Fleet fleet = Fleet.bulk(kafka.bootstrapServers(), scorer, channels, Fleet.startFor(points))) {
                fleet.load(points, report);
            }
            long windowFrom = (long) Fleet.steadyFrom(points) * channels;
            report.printf(Locale.ROOT, "steady-state window of both topologies: %s (committed telemetry offsets from %,d to the end)%n",
                    Fleet.describeWindow(points), windowFrom);

            StreamsRun.Result counted = StreamsRun.run(CountingTopology.build(), trivial.streamsProperties(), admin,
                    Topics.TELEMETRY.name(), windowFrom);
            counted.printThroughput(report, "trivial");
            counted.printChangelogs(report, "trivial");
            double trivialRate = counted.steadyPointsPerSecond();

            InterleavedSteps.Result steps = InterleavedSteps.time(channels, scorer.scoring().precision());
            report.printf(Locale.ROOT, "LSTM step alone (%s, %s weights, %,d channels interleaved, %,.0f MB of weights):"
                            + " %.2f us per step, mean of %,d steps%n", steps.pass(),
                    scorer.scoring().precision().name().toLowerCase(Locale.ROOT), channels, steps.weightBytes() / 1e6,
                    steps.nanosPerStep() / 1e3, steps.steps());
            double limitNanos = 1e9 / trivialRate + steps.nanosPerStep();
            double limit = 1e9 / limitNanos;
            report.printf(Locale.ROOT, "limit: 1 / (trivial %.2f us + step %.2f us per point) = %,.0f points/s%n",
                    1e6 / trivialRate, steps.nanosPerStep() / 1e3, limit);
            // The step's weights are garbage now; collect them before the scorer loads its own.
            System.gc();

            StreamsRun.Result scored = StreamsRun.run(VigilTopology.build(scorer, new SimpleMeterRegistry()),
                    scorer.streamsProperties(), admin, Topics.TELEMETRY.name(), windowFrom);
            scored.printThroughput(report, "scorer");
            scored.printChangelogs(report, "scorer");
            double scorerRate = scored.steadyPointsPerSecond();
            Map<String, Long> state = Footprint.rocksDbBytes(stateDir.resolve(SCORER_ID));
            long stateBytes = state.values().stream().mapToLong(Long::longValue).sum();
            report.printf(Locale.ROOT, "scorer state on disk after a clean close (RocksDB SST and WAL files of all stores,"
                            + " compressed, in-memory stores not included): %,.0f bytes per channel (%s)%n",
                    (double) stateBytes / channels, state.entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%s %,.0f", e.getKey(), (double) e.getValue() / channels))
                            .collect(Collectors.joining(", ")));
            report.printf(Locale.ROOT, "peak RSS of this JVM (the broker, all three runs and the step's weights; VmHWM): %,.0f MB%n",
                    Footprint.peakRssBytes() / 1e6);
            report.printf(Locale.ROOT, "scorer/trivial throughput ratio: %.2f%n", scorerRate / trivialRate);
            report.printf(Locale.ROOT, "scorer/limit throughput ratio: %.2f%n", scorerRate / limit);
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }
}
