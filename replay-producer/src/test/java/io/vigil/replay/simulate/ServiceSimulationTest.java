package io.vigil.replay.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.replay.event.RecordingSink;
import io.vigil.replay.event.RecordingSink.Label;
import io.vigil.replay.event.RecordingSink.Point;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSimulationTest {

    private static final long START = 1_704_067_200_000L; // midnight UTC
    private static final long HOUR = 3_600_000L;

    @Test
    void dailyFactorFollowsTheFormula() {
        assertEquals(0.5, DailyCycle.factor(START + 8 * HOUR), 1e-12);
        assertEquals(0.9, DailyCycle.factor(START + 14 * HOUR), 1e-12);
        assertEquals(0.1, DailyCycle.factor(START + 2 * HOUR), 1e-12);
        assertEquals(0.5 + 0.4 * Math.sin(2 * Math.PI * (10.5 - 8) / 24), DailyCycle.factor(START + 10 * HOUR + HOUR / 2), 1e-12);
    }

    @Test
    void anomaliesAreWhereTheLabelsSayAndLoadFollowsTheDay() {
        SimulationConfig config = SimulationConfig.of(FleetKind.SERVICES, 5, 9, START).withAnomalies(1).withEnd(START + 24 * HOUR);
        RecordingSink sink = RecordingSink.drainUntil(Fleet.of(config), START + 24 * HOUR);
        Map<String, String> channelOf = Map.of("latency-spike", "/latency_p95_ms", "memory-leak", "/memory_mb", "error-burst", "/error_rate");
        for (String kind : channelOf.keySet()) {
            assertTrue(sink.labels().stream().anyMatch(l -> l.kind().equals(kind)), "no " + kind);
        }
        for (Label l : sink.labels()) {
            assertTrue(l.channel().endsWith(channelOf.get(l.kind())), l.toString());
            List<Point> points = sink.points(l.channel());
            List<Point> during = points.stream().filter(p -> p.time() >= l.start() && p.time() <= l.end()).toList();
            List<Point> before = points.stream().filter(p -> p.time() < l.start() && p.time() >= l.start() - 100_000).toList();
            if (before.isEmpty()) {
                continue;
            }
            double normal = before.stream().mapToDouble(Point::value).average().orElseThrow();
            switch (l.kind()) {
                case "latency-spike" -> assertTrue(during.stream().mapToDouble(Point::value).average().orElseThrow() > 2 * normal, l.toString());
                case "memory-leak" -> assertTrue(during.get(during.size() - 1).value() > 1.3 * normal, l.toString());
                default -> during.forEach(p -> assertTrue(p.value() > 0.02 && normal < 0.01, p.toString()));
            }
        }
        double night = meanRate(sink, START + HOUR, START + 3 * HOUR);
        double afternoon = meanRate(sink, START + 13 * HOUR, START + 15 * HOUR);
        assertTrue(afternoon > 5 * night, "0.9 vs 0.1 of the daily factor: " + afternoon + " vs " + night);
    }

    private static double meanRate(RecordingSink sink, long from, long to) {
        return sink.points().stream().filter(p -> p.channel().endsWith("/request_rate") && p.time() >= from && p.time() < to)
                .mapToDouble(Point::value).average().orElseThrow();
    }
}
