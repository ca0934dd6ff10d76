package io.vigil.bridge.ingest;

import io.vigil.avro.TelemetryPoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointBatchTest {

    private static final int LIMIT = 50;

    record Row(String channel, long time, double value) {
        String json(boolean isoTime) {
            String t = isoTime ? "\"" + Instant.ofEpochMilli(time) + "\"" : Long.toString(time);
            return "{\"channel\":\"" + channel + "\",\"time\":" + t + ",\"value\":" + value + "}";
        }
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        return Combinators.combine(
                Arbitraries.strings().alpha().numeric().withChars('/', '-', '.').ofMinLength(1).ofMaxLength(30),
                Arbitraries.longs().between(0, 253_402_300_799_999L),
                Arbitraries.doubles().between(-1e300, 1e300)).as(Row::new).list().ofMinSize(1).ofMaxSize(LIMIT);
    }

    @Property
    void aBatchOfGoodRowsIsEveryPointAsSentInOrder(@ForAll("rows") List<Row> rows, @ForAll boolean isoTimes) {
        PointBatch.Parsed parsed = PointBatch.parse(body(rows, isoTimes, -1, null), LIMIT);
        List<TelemetryPoint> points = assertInstanceOf(PointBatch.Accepted.class, parsed).points();
        assertEquals(rows.size(), points.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).channel(), points.get(i).getChannelId());
            assertEquals(rows.get(i).time(), points.get(i).getEventTime().toEpochMilli());
            assertEquals(rows.get(i).value(), points.get(i).getValue());
            assertEquals(PointBatch.DEFAULT_SOURCE, points.get(i).getSource());
        }
    }

    @Property
    void oneBadRowRefusesTheBatchWithExactlyThatRowsError(@ForAll("rows") List<Row> rows, @ForAll @IntRange(max = 1000) int at,
                                                           @ForAll("faults") String fault) {
        int bad = at % rows.size();
        PointBatch.Parsed parsed = PointBatch.parse(body(rows, false, bad, fault), LIMIT);
        PointBatch.Refused refused = assertInstanceOf(PointBatch.Refused.class, parsed);
        assertEquals(rows.size(), refused.rows());
        assertEquals(1, refused.errors().size(), refused.errors().toString());
        assertEquals(bad, refused.errors().get(0).row());
    }

    @Provide
    Arbitrary<String> faults() {
        return Arbitraries.of(
                "{\"time\":1,\"value\":1}",
                "{\"channel\":\"\",\"time\":1,\"value\":1}",
                "{\"channel\":7,\"time\":1,\"value\":1}",
                "{\"channel\":\"c\",\"value\":1}",
                "{\"channel\":\"c\",\"time\":\"last tuesday\",\"value\":1}",
                "{\"channel\":\"c\",\"time\":1.5,\"value\":1}",
                "{\"channel\":\"c\",\"time\":1}",
                "{\"channel\":\"c\",\"time\":1,\"value\":\"1\"}",
                "{\"channel\":\"c\",\"time\":1,\"value\":-1e999}",
                "{\"channel\":\"c\",\"time\":1,\"value\":1,\"inputs\":{\"cmd\":1}}",
                "{\"channel\":\"c\",\"time\":1,\"value\":1,\"inputs\":[1,\"on\"]}",
                "{\"channel\":\"c\",\"time\":1,\"value\":1,\"source\":3}",
                "[1,2]");
    }

    @Test
    void rowsBeyondTheLimitAreRefusedWithOneErrorThatCountsThem() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < LIMIT + 3; i++) {
            rows.add(new Row("c", i, i));
        }
        PointBatch.Refused refused = assertInstanceOf(PointBatch.Refused.class, PointBatch.parse(body(rows, false, -1, null), LIMIT));
        assertEquals(1, refused.errors().size(), refused.errors().toString());
        RowError beyond = refused.errors().get(0);
        assertEquals(LIMIT, beyond.row());
        assertEquals("points", beyond.field());
        assertTrue(beyond.reason().contains((LIMIT + 3) + " rows"), beyond.reason());
    }

    @Test
    void notABatchIsMalformedAndSaysWhyWithoutEchoingTheBody() {
        for (String body : List.of("", "secret-ish text", "[]", "{\"points\":{}}", "{\"points\":[]}", "{\"points\":[1],\"points\":[2]}")) {
            PointBatch.Malformed m = assertInstanceOf(PointBatch.Malformed.class,
                    PointBatch.parse(body.getBytes(StandardCharsets.UTF_8), LIMIT), body);
            assertTrue(!body.contains("secret") || !m.reason().contains("secret"), m.reason());
        }
    }

    @Test
    void aBodyThatIsNotUtf8IsMalformedRatherThanReadWithReplacementCharacters() {
        byte[] latin1 = "{\"points\":[{\"channel\":\"caf\u00e9\",\"time\":1,\"value\":1}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertInstanceOf(PointBatch.Malformed.class, PointBatch.parse(latin1, LIMIT));
    }

    @Test
    void inputFeaturesAndAGivenSourceAreCarried() {
        PointBatch.Accepted a = assertInstanceOf(PointBatch.Accepted.class, PointBatch.parse(
                ("{\"points\":[{\"channel\":\"c\",\"time\":\"2018-01-01 00:00:00\",\"value\":2,\"inputs\":[1,0,-0.5],\"source\":\"plc-3\"},"
                        + "{\"channel\":\"c\",\"time\":2,\"value\":3,\"inputs\":{}}]}").getBytes(StandardCharsets.UTF_8), LIMIT));
        assertEquals(List.of(1.0, 0.0, -0.5), a.points().get(0).getInputs());
        assertEquals(List.of(), a.points().get(1).getInputs(), "an empty object, as clients sent before: no inputs");
        assertEquals("plc-3", a.points().get(0).getSource());
        assertEquals(Instant.parse("2018-01-01T00:00:00Z"), a.points().get(0).getEventTime());
    }

    private static byte[] body(List<Row> rows, boolean isoTimes, int bad, String fault) {
        StringBuilder b = new StringBuilder("{\"points\":[");
        for (int i = 0; i < rows.size(); i++) {
            b.append(i == 0 ? "" : ",").append(i == bad ? fault : rows.get(i).json(isoTimes && i % 2 == 1));
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
