package io.vigil.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README command 1 end to end: the real broker, registry, scorer, bridge and replay in their own JVMs.
 * Scores of the demo data reach the dashboard's event stream, and closing the stack leaves no process.
 */
class LocalStackIT {

    @TempDir
    Path workDir;

    @Test
    void demoDataFlowsToTheDashboardAndStoppingLeavesNoProcess() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        LocalStackConfig config = new LocalStackConfig(repo, workDir, freePort(), freePort(), freePort(), freePort(),
                freePort(), 2, List.of(repo.resolve("replay-producer/demo-data/art_daily_jumpsup.csv")), 600);
        List<Long> pids;
        List<String> events = new ArrayList<>();
        try (LocalStack stack = new LocalStack(config)) {
            stack.start();
            pids = stack.pids();
            assertEquals(5, pids.size(), "broker, registry, scorer, bridge, replay and nothing else: " + pids);
            readEvents(config.bridgeUrl() + "/events", 5, events);
        }
        assertEquals(5, events.size());
        assertTrue(events.get(0).contains("\"channelId\":\"art_daily_jumpsup\""), events.get(0));
        assertTrue(events.get(0).contains("\"detector\":\"BASELINE\""), events.get(0));
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " survived");
        }
    }

    private static void readEvents(String url, int count, List<String> into) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (into.size() < count && (line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    into.add(line.substring(5).trim());
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
