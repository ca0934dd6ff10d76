package io.vigil.local;

import io.vigil.config.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * How the local stack runs, read once from {@link Settings}; the defaults give the README's demo.
 *
 * @param repo the checkout, whose modules' build output the services run from
 * @param workDir broker data, state and logs; wiped at every start, so each run starts clean
 * @param brokerPort Kafka's client port
 * @param controllerPort the KRaft controller port
 * @param registryPort the schema registry's HTTP port
 * @param bridgePort the dashboard's HTTP port
 * @param scorerMetricsPort the scorer's Prometheus port
 * @param partitions partitions of the channel-keyed topics
 * @param replayFiles CSV series the replay producer plays, one channel each
 * @param replayLabels ground-truth windows of those series ({@code --labels} format), or null
 * @param replaySpeed replay speed factor (data time / wall time)
 * @param fleetNodes simulated telescope nodes sending heartbeats; 0 runs no fleet
 * @param fleetSpeed the fleet simulation's speed factor
 * @param trainEpochs epoch budget of the background trainer that trains and releases an LSTM model for
 *     every replayed channel (from its first 15 %, NAB's probationary part); 0 runs no trainer
 * @param trainEvaluate whether the trainer also evaluates its models (and the baseline and Random Cut
 *     Forest) on the replayed series before releasing them, into {@code workDir/evaluation}
 * @param alertmanagerUrl an Alertmanager the notifier sends every transition to; null runs no notifier
 */
public record LocalStackConfig(Path repo, Path workDir, int brokerPort, int controllerPort, int registryPort,
                               int bridgePort, int scorerMetricsPort, int partitions, List<Path> replayFiles,
                               Path replayLabels, double replaySpeed, int fleetNodes, double fleetSpeed,
                               int trainEpochs, boolean trainEvaluate, String alertmanagerUrl) {

    static LocalStackConfig from(Settings s) {
        Path repo = Path.of(s.get("repo", ".")).toAbsolutePath().normalize();
        Path demo = repo.resolve("replay-producer/demo-data");
        java.util.Optional<List<Path>> chosen = s.find("replay.files")
                .map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).map(Path::of).toList());
        // The demo labels name the demo channels only, so they apply by default only to the demo files.
        Path labels = s.find("replay.labels").map(Path::of)
                .orElse(chosen.isPresent() ? null : demo.resolve("labels.csv"));
        List<Path> files = chosen.orElse(List.of(
                        demo.resolve("art_daily_jumpsup.csv"),
                        demo.resolve("art_load_balancer_spikes.csv"),
                        demo.resolve("ec2_request_latency_system_failure.csv"),
                        demo.resolve("machine_temperature_system_failure.csv")));
        return new LocalStackConfig(
                repo,
                Path.of(s.get("local.dir", repo.resolve(".vigil-local").toString())).toAbsolutePath(),
                s.getInt("local.broker.port", 9092),
                s.getInt("local.controller.port", 9093),
                s.getInt("local.registry.port", 8081),
                s.getInt("local.bridge.port", 8080),
                s.getInt("local.scorer.metrics.port", 9404),
                s.getInt("local.partitions", 4),
                files,
                labels,
                s.getDouble("replay.speed", 6000),
                s.getInt("fleet.nodes", 24),
                s.getDouble("fleet.speed", 60),
                s.getInt("local.train.epochs", 50),
                s.getBoolean("local.train.evaluate", true),
                s.find("local.alertmanager.url").filter(u -> !u.isBlank()).orElse(null));
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    String bridgeUrl() {
        return "http://localhost:" + bridgePort;
    }
}
