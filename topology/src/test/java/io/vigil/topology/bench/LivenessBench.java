package io.vigil.topology.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.NodeState;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Cost of the liveness check at fleet scale, through the real processor and RocksDB stores
 * (TopologyTestDriver, wall-clock mode so each {@code advanceWallClockTime} is exactly one check).
 * Prints: heartbeat ingest per record, a check with every node indexed and none due, and a check that
 * faults a whole cohort at once (cost per faulted node).
 *
 * <pre>
 * mvn -q -pl topology test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath io.vigil.topology.bench.LivenessBench 100000"
 * </pre>
 */
public final class LivenessBench {

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int cohorts = 20;
        Path stateDir = Files.createTempDirectory("liveness-bench");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        TopologyConfig config = TopologyConfig.from(Settings.of(Map.of(
                "vigil.schema.registry.url", "mock://liveness-bench",
                "vigil.state.dir", stateDir.toString(),
                "vigil.liveness.time.mode", "wall-clock",
                "vigil.liveness.check.interval.ms", "1000")));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                VigilTopology.build(config, new SimpleMeterRegistry()), config.streamsProperties(), t0)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(Topics.HEARTBEATS.name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            Serializer<Heartbeat> serializer = AvroSerde.configured(Heartbeat.class, config.serdeConfig(), false).serializer();

            // Two heartbeats per node, 20 s apart, nodes spread over 20 one-second cohorts: deadlines
            // then fall 70 s after each cohort's second heartbeat (3.5 learned intervals).
            long ingestStart = System.nanoTime();
            int perCohort = nodes / cohorts;
            for (int round = 0; round < 2; round++) {
                for (int c = 0; c < cohorts; c++) {
                    for (int i = c * perCohort; i < (c + 1) * perCohort; i++) {
                        String id = "node-" + i;
                        Instant time = t0.plusSeconds(round * 20L + c);
                        Heartbeat hb = Heartbeat.newBuilder().setNodeId(id).setTime(time).setState(NodeState.ONLINE)
                                .setTarget(null).build();
                        input.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(Topics.HEARTBEATS.name(), hb), time);
                    }
                    driver.advanceWallClockTime(Duration.ofSeconds(1));
                }
            }
            double ingestUs = (System.nanoTime() - ingestStart) / 1e3 / (2.0 * perCohort * cohorts);

            // Now 40 s after t0: nothing is due until 20 + 0 + 70 = 90 s. Time 40 idle checks.
            double[] idle = new double[40];
            for (int i = 0; i < idle.length; i++) {
                long s = System.nanoTime();
                driver.advanceWallClockTime(Duration.ofSeconds(1));
                idle[i] = (System.nanoTime() - s) / 1e3;
            }
            // Advance to just before the first deadline, then time the checks that fault each cohort.
            driver.advanceWallClockTime(Duration.ofSeconds(9));
            double[] faulting = new double[cohorts];
            for (int c = 0; c < cohorts; c++) {
                long s = System.nanoTime();
                driver.advanceWallClockTime(Duration.ofSeconds(1));
                faulting[c] = (System.nanoTime() - s) / 1e3;
            }
            Arrays.sort(idle);
            Arrays.sort(faulting);
            System.out.printf("nodes=%d  heartbeat ingest: %.1f us/record%n", nodes, ingestUs);
            System.out.printf("check with %d nodes indexed, none due: median %.1f us, max %.1f us%n",
                    nodes, idle[idle.length / 2], idle[idle.length - 1]);
            System.out.printf("check faulting %d nodes at once: median %.1f ms (%.2f us per faulted node)%n",
                    perCohort, faulting[cohorts / 2] / 1e3, faulting[cohorts / 2] / perCohort);
        }
    }
}
