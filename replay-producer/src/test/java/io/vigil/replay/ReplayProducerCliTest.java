package io.vigil.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.config.Settings;
import io.vigil.schemas.registry.MockSchemaRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's contract without a broker: usage errors, bad input, and bounded failure when nothing listens. */
class ReplayProducerCliTest {

    private static final String SCOPE = "cli-test";

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    private int run(Map<String, String> settings, String... args) {
        CommandLine cl = ReplayProducer.commandLine(Settings.of(settings));
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    private Path csv() throws IOException {
        Path file = dir.resolve("a.csv");
        Files.writeString(file, "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2\n");
        return file;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void contradictoryOptionsAreUsageErrors() throws IOException {
        assertEquals(2, run(Map.of()));
        assertTrue(err.toString().contains("nothing to replay"));
        assertEquals(2, run(Map.of(), "--simulate", "grid", csv().toString()));
        assertEquals(2, run(Map.of(), "--simulate", "grid", "--loop"));
        assertEquals(2, run(Map.of(), "--nab-category", "realTraffic", csv().toString()));
        assertEquals(2, run(Map.of(), "--duration", "60", csv().toString()));
        assertEquals(2, run(Map.of(), "--simulate", "submarines"));
        err.getBuffer().setLength(0);
        assertEquals(2, run(Map.of(), "--prometheus-live", csv().toString()));
        assertTrue(err.toString().contains("need --prometheus URL"), err.toString());
        assertEquals(2, run(Map.of(), "--prometheus-query", "up", csv().toString()));
    }

    @Test
    void unreadableInputIsOneLineAndExitCodeOne() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "timestamp,value\n2014-04-01 00:00:00,x\n");
        assertEquals(1, run(Map.of(), bad.toString()));
        assertEquals("replay: " + bad + ":2: value 'x' is not a number", err.toString().strip());
    }

    @Test
    void aBrokerThatIsNotThereFailsWithinTheBoundedWait() throws IOException {
        Map<String, String> settings = Map.of("vigil.bootstrap.servers", "127.0.0.1:" + closedPort(),
                "vigil.schema.registry.url", "mock://" + SCOPE, "vigil.connection.check.timeout.ms", "1500");
        long t0 = System.nanoTime();
        int code = run(settings, "--speed", "0", csv().toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(ReplayProducer.EXIT_INFRASTRUCTURE, code, err.toString());
        assertTrue(seconds < 15, "took " + seconds + " s");
        String line = err.toString().strip();
        assertTrue(line.startsWith("replay: Kafka at 127.0.0.1:") && line.contains("did not answer within 1500 ms")
                && !line.contains("\n"), line);
    }

    @Test
    void aRegistryThatIsNotThereFailsAfterBoundedRetries() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        long t0 = System.nanoTime();
        int code = run(Map.of("vigil.bootstrap.servers", "127.0.0.1:" + closedPort(), "vigil.schema.registry.url", url), csv().toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(ReplayProducer.EXIT_INFRASTRUCTURE, code, err.toString());
        assertTrue(seconds < 15, "took " + seconds + " s");
        String line = err.toString().strip();
        assertTrue(line.startsWith("replay: schema registry " + url + " failed: ") && line.contains("gave up after 3 attempts"), line);
    }
}
