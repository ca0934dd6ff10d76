package io.vigil.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeStatus;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README command 1 end to end: the real broker, registry, scorer, bridge and replay in their own JVMs.
 * Scores of the demo data reach the dashboard's event stream, the simulated fleet's dropouts become
 * FAULTED node status in time, the background trainer's model reaches the running scorer (scores turn
 * from BASELINE to LSTM version 1) with its evaluation report written, and closing the stack leaves no
 * process.
 */
class LocalStackIT {

    private static final List<String> DEMO = List.of("art_daily_jumpsup", "art_load_balancer_spikes",
            "ec2_request_latency_system_failure", "machine_temperature_system_failure");

    @TempDir
    Path workDir;

    @Test
    void demoDataFlowsToTheDashboardAndStoppingLeavesNoProcess() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        // The demo series with their labels, as command 1 replays them (the trainer trains on them too).
        Path demo = repo.resolve("replay-producer/demo-data");
        int[] ports = FreePorts.pick(5);
        LocalStackConfig config = new LocalStackConfig(repo, workDir, ports[0], ports[1], ports[2], ports[3],
                ports[4], 2, DEMO.stream().map(name -> demo.resolve(name + ".csv")).toList(), demo.resolve("labels.csv"),
                600, 16, 120, 2, true, null);
        List<Long> pids;
        List<String> events = new ArrayList<>();
        try (LocalStack stack = new LocalStack(config)) {
            stack.start();
            pids = stack.pids();
            assertEquals(7, pids.size(), "broker, registry, scorer, bridge, replay, fleet, trainer and nothing else: " + pids);
            readEventsUntil(config.bridgeUrl() + "/events?type=score", "\"channelId\":\"art_daily_jumpsup\"", Duration.ofMinutes(3), events);
            assertFalse(events.isEmpty(), "no score event within 3 minutes");
            String replayed = events.get(events.size() - 1);
            assertTrue(replayed.contains("\"channelId\":\"art_daily_jumpsup\""), "no replayed point among " + events.size() + " events");
            assertTrue(replayed.contains("\"detector\":\"BASELINE\""), replayed);
            assertFaultWithinThreeAndAHalfIntervals(config);
            // A reading posted to the bridge's HTTP ingest is scored like a replayed one.
            long now = System.currentTimeMillis();
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(config.bridgeUrl() + "/api/v1/telemetry")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"points\":[{\"channel\":\"http-demo\",\"time\":" + now
                            + ",\"value\":1.5},{\"channel\":\"http-demo\",\"time\":" + (now + 1000) + ",\"value\":2.5}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());
            List<String> ingested = new ArrayList<>();
            readEventsUntil(config.bridgeUrl() + "/events?type=score&channel=http-demo", "\"eventTime\":" + (now + 1000),
                    Duration.ofMinutes(2), ingested);
            assertTrue(!ingested.isEmpty() && ingested.get(ingested.size() - 1).contains("\"source\":\"http\""),
                    "the posted points' scores: " + ingested);
            // The trainer releases a model for the replayed channel; the running scorer switches to it.
            List<String> later = new ArrayList<>();
            readEventsUntil(config.bridgeUrl() + "/events?type=score&channel=art_daily_jumpsup", "\"detector\":\"LSTM\"",
                    Duration.ofMinutes(20), later);
            assertFalse(later.isEmpty(), "the event stream ended before any score of the channel");
            String lstm = later.get(later.size() - 1);
            assertTrue(lstm.contains("\"detector\":\"LSTM\"") && lstm.contains("\"modelVersion\":1"),
                    "no LSTM score among " + later.size() + " events after the fault check; trainer log: "
                            + workDir.resolve("logs/trainer.log"));
            String report = java.nio.file.Files.readString(workDir.resolve("evaluation/report.md"));
            assertTrue(report.contains("| lstm | 4 | 9 |") && report.contains("| rcf | 4 | 9 |"), "4 channels, 9 labeled"
                    + " windows: " + report);
        }
        assertTrue(events.stream().allMatch(e -> e.contains("\"source\":\"nab-demo\"") || e.contains("\"source\":\"simulated-telescopes\"")),
                "every event comes from the replay or the fleet");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " survived");
        }
    }

    /**
     * The simulated fleet's nodes drop out now and then; the first FAULTED record must come after three
     * missed heartbeats and no later than 3.5 intervals plus one check (1 s of data time), and its node
     * must have been announced ALIVE, with the state it reported, before it faulted.
     */
    private static void assertFaultWithinThreeAndAHalfIntervals(LocalStackConfig config) {
        Map<String, Object> props = Map.of(
                "bootstrap.servers", config.bootstrapServers(),
                "group.id", "local-stack-it",
                "auto.offset.reset", "earliest");
        var deserializer = AvroSerde.configured(NodeStatus.class,
                Map.of("schema.registry.url", config.registryUrl()), false).deserializer();
        try (KafkaConsumer<String, NodeStatus> consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(Topics.NODE_STATUS.name()));
            Set<String> announced = new HashSet<>();
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, NodeStatus> r : consumer.poll(Duration.ofMillis(500))) {
                    NodeStatus status = r.value();
                    if (status.getStatus() == NodeLiveness.ALIVE && status.getLastState() != null) {
                        announced.add(status.getNodeId());
                    }
                    if (status.getStatus() == NodeLiveness.FAULTED) {
                        assertTrue(announced.contains(status.getNodeId()), "faulted before it was ever seen alive: " + status);
                        long silence = status.getChangedAt().toEpochMilli() - status.getLastHeartbeat().toEpochMilli();
                        long interval = status.getExpectedIntervalMs();
                        assertTrue(silence >= 3 * interval, "faulted after only " + silence + " ms: " + status);
                        assertTrue(silence <= 3.5 * interval + 1000, "faulted late, after " + silence + " ms: " + status);
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no node was faulted within 90 s");
    }

    /**
     * Reads score events (other event types skipped) until one contains {@code wanted} or the time is up;
     * the bridge's keep-alive comments keep the read from blocking past the deadline for long.
     */
    private static void readEventsUntil(String url, String wanted, Duration patience, List<String> into)
            throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            String event = "message";
            long deadline = System.nanoTime() + patience.toNanos();
            while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.isEmpty()) {
                    event = "message";
                } else if (line.startsWith("data:") && event.equals("score")) {
                    into.add(line.substring(5).trim());
                    if (line.contains(wanted)) {
                        return;
                    }
                }
            }
        }
    }
}
