package io.vigil.local.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void causesLoggedBeforeTheLastLinesAreListedFirst() throws Exception {
        List<String> lines = new ArrayList<>(List.of("starting", "java.lang.RuntimeException: Unable to start acceptor",
                "\tat kafka.network.Acceptor.start(SocketServer.scala:511)",
                "Caused by: org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:4242",
                "\tat somewhere", "Caused by: java.net.BindException: Address already in use"));
        for (int i = 0; i < 5; i++) {
            lines.add("shutting down " + i);
        }
        Path log = Files.write(dir.resolve("broker.log"), lines);

        assertEquals("""
                Caused by: org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:4242
                Caused by: java.net.BindException: Address already in use
                ...
                shutting down 2
                shutting down 3
                shutting down 4""", LogTail.lastLines(log, 3));
        assertEquals(String.join("\n", lines.subList(3, lines.size())), LogTail.lastLines(log, 8),
                "a cause inside the last lines is not repeated");
    }

    @Test
    void aRetryLoopsRepeatedCausesAreListedOnceAndOnlyTheLatestFew() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int cause = 0; cause < 7; cause++) {
                lines.add("Caused by: java.io.IOException: attempt failed, reason " + cause);
            }
        }
        lines.add("last line");
        String excerpt = LogTail.lastLines(Files.write(dir.resolve("retry.log"), lines), 1);
        assertEquals("""
                Caused by: java.io.IOException: attempt failed, reason 2
                Caused by: java.io.IOException: attempt failed, reason 3
                Caused by: java.io.IOException: attempt failed, reason 4
                Caused by: java.io.IOException: attempt failed, reason 5
                Caused by: java.io.IOException: attempt failed, reason 6
                ...
                last line""", excerpt);
    }

    @Test
    void aShortLogIsReturnedWholeAndAMissingOneIsNamed() throws Exception {
        Path log = Files.write(dir.resolve("short.log"), List.of("one", "two"));
        assertEquals("one\ntwo", LogTail.lastLines(log, 30));
        assertEquals("(could not read " + dir.resolve("none.log") + ": " + dir.resolve("none.log")
                + " (No such file or directory))", LogTail.lastLines(dir.resolve("none.log"), 30));
    }
}
