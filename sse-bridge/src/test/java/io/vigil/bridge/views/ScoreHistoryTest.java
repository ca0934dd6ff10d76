package io.vigil.bridge.views;

import static io.vigil.bridge.views.ViewsTest.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.bridge.events.EventType;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ScoreHistoryTest {

    @Test
    void keepsTheNewestPointsInTimeOrderThroughGrowthAndWrapping() {
        ScoreHistory history = new ScoreHistory(200);
        for (int i = 0; i < 450; i++) {
            history.add(score("A", 1000 + i, i / 4.0, i % 3 == 0 ? Double.NaN : 0.5, i % 7 == 0));
        }
        ChartHistory all = history.read("A", 1000);
        assertEquals(200, all.eventTime().size());
        assertEquals(LongStream.range(1250, 1450).boxed().toList(), all.eventTime(), "the newest 200, oldest first");
        assertEquals(250 / 4.0, all.value().get(0));
        assertEquals(449 / 4.0, all.value().get(199));
        assertNull(all.threshold().get(2), "point 252: a NaN threshold is null in JSON");
        assertEquals(0.5, all.threshold().get(0));
        assertEquals(252 % 7 == 0, all.anomalous().get(2));
        assertTrue(all.kept());

        ChartHistory last = history.read("A", 3);
        assertEquals(List.of(1447L, 1448L, 1449L), last.eventTime());
    }

    @Test
    void aPartlyFilledHistoryThatGrewLosesNothing() {
        ScoreHistory history = new ScoreHistory(2000);
        for (int i = 0; i < 130; i++) {
            history.add(score("A", i, i, 0.5, false));
        }
        assertEquals(LongStream.range(0, 130).boxed().toList(), history.read("A", 2000).eventTime());
    }

    @Test
    void timeGoingBackStartsTheHistoryOverAsTheChartDoes() {
        ScoreHistory history = new ScoreHistory(100);
        for (int i = 0; i < 80; i++) {
            history.add(score("A", 5000 + i, i, 0.5, false));
        }
        history.add(score("A", 10, 1, 0.5, false));
        history.add(score("A", 11, 2, 0.5, false));
        assertEquals(List.of(10L, 11L), history.read("A", 100).eventTime(), "a replay that started over");
    }

    @Test
    void onlyTheFirstChartChannelsKeepAHistory() {
        Views views = new Views(new ViewSettings(10, 2, 5, 2));
        for (String channel : List.of("A", "B", "C")) {
            for (int i = 0; i < 8; i++) {
                views.apply(EventType.SCORE, score(channel, i, i, 0.5, false), i);
            }
        }
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), views.chart("A", 100).eventTime());
        assertEquals(List.of(6L, 7L), views.chart("B", 2).eventTime());
        ChartHistory c = views.chart("C", 100);
        assertFalse(c.kept(), "beyond bridge.views.chart.channels");
        assertEquals(List.of(), c.eventTime());
        assertNull(views.chart("D", 100), "a channel not seen");
        assertEquals(8, views.channels(java.util.Set.of("C"), 1).get(0).lastScore().eventTime() + 1, "C is tracked all the same");
    }
}
