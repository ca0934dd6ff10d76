package io.vigil.replay.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RangePlanTest {

    /** Points a query over [from, to] at step returns per series, as Prometheus counts them. */
    private static long points(long[] w, long step) {
        return (w[1] - w[0]) / step + 1;
    }

    @Property(tries = 300)
    void noQueryExceedsTheLimitAndTheWindowsCoverTheRangeOnItsStepGrid(
            @ForAll @LongRange(min = 0, max = 40L * 24 * 3_600_000) long span,
            @ForAll @LongRange(min = 1, max = 600_000) long step) {
        long start = 1_700_000_000_000L;
        RangePlan plan = RangePlan.of(start, start + span, step);
        List<long[]> windows = plan.windows();
        assertEquals(start, windows.get(0)[0]);
        assertEquals(start + span, windows.get(windows.size() - 1)[1]);
        for (int i = 0; i < windows.size(); i++) {
            assertTrue(points(windows.get(i), step) <= RangePlan.MAX_POINTS_PER_SERIES, "window " + i);
            if (i > 0) {
                assertEquals(windows.get(i - 1)[1] + step, windows.get(i)[0], "each query starts a step after the last");
            }
        }
    }

    @Test
    void withNoStepTheSmallestWholeSecondFitsTheRangeIntoOneQuery() {
        long start = 0;
        assertEquals(1000, RangePlan.of(start, 3_600_000, null).step(), "an hour at 1 s is 3,601 points");
        assertEquals(1000, RangePlan.of(start, 10_999_000, null).step(), "11,000 points exactly");
        assertEquals(2000, RangePlan.of(start, 11_000_000, null).step());
        assertEquals(8000, RangePlan.of(start, 24L * 3_600_000, null).step(), "a day: 10,801 points at 8 s");
        for (long span : new long[] {0, 1, 999, 3_600_000, 11_000_000, 86_400_000, 30L * 86_400_000}) {
            RangePlan plan = RangePlan.of(start, span, null);
            assertEquals(1, plan.windows().size(), "one query for " + span);
            assertTrue(points(plan.windows().get(0), plan.step()) <= RangePlan.MAX_POINTS_PER_SERIES);
        }
        assertThrows(IllegalArgumentException.class, () -> RangePlan.of(10, 5, null));
    }

    @Test
    void channelIdsAreTheNameThenTheChosenLabelsOrEveryLabel() {
        Map<String, String> metric = Map.of("__name__", "node_load1", "instance", "host-7:9100", "job", "node");
        assertEquals("node_load1/host-7:9100", new ChannelNaming(List.of("instance")).channelOf(metric));
        assertEquals("node_load1/instance=host-7:9100/job=node", new ChannelNaming(List.of()).channelOf(metric));
        assertEquals("node_load1", new ChannelNaming(List.of("missing")).channelOf(metric));
        assertEquals("instance=a", new ChannelNaming(List.of()).channelOf(Map.of("instance", "a")), "an expression's result has no name");
        assertThrows(IllegalArgumentException.class, () -> new ChannelNaming(List.of("x")).channelOf(Map.of("instance", "a")));

        ChannelNaming.Claims claims = new ChannelNaming(List.of("instance")).claims();
        assertEquals("up/a", claims.channel("up", Map.of("__name__", "up", "instance", "a", "job", "x")));
        assertEquals("up/a", claims.channel("up", Map.of("__name__", "up", "instance", "a", "job", "x")), "the same query again");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> claims.channel("up{job=\"y\"}", Map.of("__name__", "up", "instance", "a", "job", "y")));
        assertTrue(twice.getMessage().contains("comes from both"), twice.getMessage());
        IllegalArgumentException alike = assertThrows(IllegalArgumentException.class,
                () -> claims.channel("up", Map.of("__name__", "up", "instance", "a", "job", "z")));
        assertTrue(alike.getMessage().contains("names two series of 'up'"), alike.getMessage());
    }

    @Test
    void infinitiesAreReadAsPrometheusWritesThem() {
        assertEquals(Double.POSITIVE_INFINITY, PrometheusClient.value("+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, PrometheusClient.value("-Inf"));
        assertTrue(Double.isNaN(PrometheusClient.value("NaN")));
        assertEquals(-2.5e-3, PrometheusClient.value("-0.0025"));
    }
}
