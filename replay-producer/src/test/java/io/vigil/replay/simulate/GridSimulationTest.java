package io.vigil.replay.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.replay.event.RecordingSink;
import io.vigil.replay.event.RecordingSink.Label;
import io.vigil.replay.event.RecordingSink.Point;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridSimulationTest {

    private static final long START = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    private static final long DURATION = 3_600_000L;
    private static final double DEPTH = 0.2;
    private static final double TOLERANCE = 5 * GridMeter.VOLT_NOISE;

    private static RecordingSink simulate(long seed) {
        SimulationConfig config = SimulationConfig.of(FleetKind.GRID, 4, seed, START).withAnomalies(8).withSagDepth(DEPTH)
                .withEnd(START + DURATION);
        return RecordingSink.drainUntil(Fleet.of(config), START + DURATION);
    }

    private static List<Point> during(List<Point> points, Label l) {
        return points.stream().filter(p -> p.time() >= l.start() && p.time() <= l.end()).toList();
    }

    @Test
    void voltageInsideASagLabelIsBelowNominalByTheDepthAndNominalOutsideLabels() {
        RecordingSink sink = simulate(7);
        Map<String, List<Point>> byChannel = sink.pointsByChannel();
        List<Label> sags = sink.labels().stream().filter(l -> l.kind().equals("sag")).toList();
        assertTrue(sags.size() >= 3, "expected a few sags in 4 meter-hours at 8/h, got " + sags.size());
        for (Label sag : sags) {
            assertTrue(sag.channel().endsWith("/voltage_v"), sag.toString());
            List<Point> during = during(byChannel.get(sag.channel()), sag);
            assertEquals((sag.end() - sag.start()) / 1000 + 1, during.size(), "one sample per second for the whole label");
            for (Point p : during) {
                assertEquals(GridMeter.NOMINAL_VOLTS * (1 - DEPTH), p.value(), TOLERANCE, p.toString());
            }
        }
        for (Map.Entry<String, List<Point>> channel : byChannel.entrySet()) {
            if (!channel.getKey().endsWith("/voltage_v")) {
                continue;
            }
            List<Label> labels = sink.labels().stream().filter(l -> l.channel().equals(channel.getKey())).toList();
            for (Point p : channel.getValue()) {
                if (labels.stream().noneMatch(l -> p.time() >= l.start() && p.time() <= l.end())) {
                    assertEquals(GridMeter.NOMINAL_VOLTS, p.value(), TOLERANCE, p.toString());
                }
            }
        }
    }

    @Test
    void excursionsAndSpikesHappenWhereTheirLabelsSayAndLabelsPrecedeTheirPoints() {
        RecordingSink sink = simulate(11);
        Map<String, List<Point>> byChannel = sink.pointsByChannel();
        List<Label> labels = sink.labels();
        assertTrue(labels.stream().anyMatch(l -> l.kind().equals("frequency-excursion")));
        assertTrue(labels.stream().anyMatch(l -> l.kind().equals("spike")));
        for (Label l : labels) {
            assertEquals(l.start(), l.publishedAt());
            List<Point> during = during(byChannel.get(l.channel()), l);
            assertEquals(l.start(), during.get(0).time(), "the label starts exactly at a sample");
            assertTrue(sink.events.indexOf(l) < sink.events.indexOf(during.get(0)), "label before its first point");
            for (Point p : during) {
                switch (l.kind()) {
                    case "frequency-excursion" -> assertTrue(Math.abs(p.value() - GridMeter.NOMINAL_HZ) > 0.25, p.toString());
                    case "spike" -> assertTrue(l.channel().endsWith("/current_a") || p.value() > 1.09 * GridMeter.NOMINAL_VOLTS, p.toString());
                    default -> { }
                }
            }
        }
    }

    @Test
    void aSeedGivesTheSameFleetEveryTime() {
        RecordingSink once = simulate(5);
        assertEquals(once.events, simulate(5).events);
        assertNotEquals(once.events, simulate(6).events);
        assertEquals(12, once.channels.size(), "4 meters x voltage, current, frequency");
    }
}
