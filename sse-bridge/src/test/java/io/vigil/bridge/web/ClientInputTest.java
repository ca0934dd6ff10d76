package io.vigil.bridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.bridge.events.HubSettings;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.testing.Allocation;
import io.vigil.bridge.testing.RawIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the bridge makes of resume ids, filters and headers that it did not issue: 400s with reasons, at bounded cost. */
class ClientInputTest {

    private final ObjectMapper json = new ObjectMapper();
    @RegisterExtension
    final TestServers servers = new TestServers();

    @Test
    void aResumeIdClaimingAMillionPartitionsIsA400() throws Exception {
        TestServer t = servers.start(10);
        assertBad(t.get("/events", "Last-Event-ID", RawIds.of(1_000_000, 0)),
                "Last-Event-ID is not an id this bridge issued: event id lists 1000000 partitions of one topic; at most 1024");
        assertEquals(0, t.hub.clientCount());
    }

    @Test
    void aResumeIdWithANegativePartitionCountIsA400NotA500() throws Exception {
        TestServer t = servers.start(10);
        assertBad(t.get("/events?lastEventId=" + RawIds.of(-1L)), "Last-Event-ID is not an id this bridge issued: "
                + "event id lists 18446744073709551615 partitions of one topic; at most 1024");
    }

    @Test
    void aResumeIdBeyondTheConfiguredLimitsIsA400() throws Exception {
        TestServer t = servers.start(hub(), new WebSettings("127.0.0.1", 0, null, Set.of(), 100, 200,
                new PositionCodec.Limits(64, 3), WebSettings.DEFAULT_MAX_HEADER_BYTES));
        assertBad(t.get("/events", "Last-Event-ID", RawIds.of(4, 0, 0, 0, 0)),
                "Last-Event-ID is not an id this bridge issued: event id lists 4 partitions of one topic; at most 3");
        assertBad(t.get("/events", "Last-Event-ID", "A".repeat(65)),
                "Last-Event-ID is not an id this bridge issued: event id longer than 64 characters");
    }

    @Test
    void headersBeyondTheConfiguredSizeAreRefusedBeforeAnyHandlerBuffersThem() throws Exception {
        TestServer t = servers.start(hub(), new WebSettings("127.0.0.1", 0, null, Set.of(), 100, 200,
                PositionCodec.Limits.DEFAULT, 4096));
        assertEquals(400, t.get("/events", "Last-Event-ID", "A".repeat(8000)).statusCode());
        assertEquals(400, t.get("/api/channels?channel=" + "a".repeat(8000)).statusCode());
        assertEquals(200, t.get("/api/channels?channel=" + "a".repeat(100)).statusCode());
    }

    @Test
    void aControlCharacterAtTheEdgeOfAFilterValueIsA400() throws Exception {
        TestServer t = servers.start(10);
        // It used to be trimmed away with the whitespace, so "%00" read as no filter at all.
        assertBad(t.get("/events?type=%00"), "a value of 'type' contains a control character");
        assertBad(t.get("/events?channel=%00a"), "a value of 'channel' contains a control character");
    }

    @Test
    void aFilterOfAHundredThousandCommasIsReadWithoutAnArrayOfAHundredThousandParts() throws Exception {
        Params few = commas(10);
        Params many = commas(100_000);
        long baseline = Allocation.least(3, () -> few.list("channel"));
        long cost = Allocation.least(3, () -> many.list("channel"));
        assertTrue(many.list("channel").isEmpty());
        assertTrue(cost - baseline < 10_000, "100,000 empty values cost " + (cost - baseline) + " bytes more than 10");
    }

    private static Params commas(int count) throws BadRequest {
        return new Params(Map.of("channel", new ArrayDeque<>(List.of(",".repeat(count)))), List.of("channel"), 100, 200);
    }

    @Test
    void aLongUnknownParameterIsQuotedShortAndPrintable() throws Exception {
        TestServer t = servers.start(10);
        assertBad(t.get("/api/nodes?" + "%01".repeat(20) + "x".repeat(5000) + "=1"),
                "unknown parameter '" + "?".repeat(20) + "x".repeat(20) + "...'; allowed: limit");
    }

    private void assertBad(HttpResponse<String> response, String message) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(message, json.readTree(response.body()).get("error").textValue());
    }

    private static HubSettings hub() {
        return new HubSettings(100, 100, Duration.ofSeconds(15), Duration.ofSeconds(60), 10);
    }
}
