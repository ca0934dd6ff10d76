package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchTelemanomTest {

    private final BatchTelemanom batch = new BatchTelemanom(ThresholdSettings.DEFAULT);

    @Test
    void theFirstWindowIgnoresLessOfShortSeries() {
        assertEquals(0, batch.ignoredAtStart(1799));
        assertEquals(250, batch.ignoredAtStart(1800));
        assertEquals(250, batch.ignoredAtStart(2499));
        assertEquals(500, batch.ignoredAtStart(2500));
    }

    @Test
    void startupValuesBecomeTheMeanOfTwiceAsMany() {
        // lS = 2: the first 2 values become the mean of the first 4, (1 + 2 + 3 + 6) / 4 = 3.
        double[] s = {1, 2, 3, 6, 9};
        BatchTelemanom.replaceStartup(s, 2);
        assertArrayEquals(new double[] {3, 3, 3, 6, 9}, s, 0.0);
    }

    @Test
    void onlyCompleteBatchesAreDecided() {
        // 2,100 + 3 * 70 + 50: windows end at 2,100, 2,170, 2,240 and 2,310; the last 50 wait.
        assertEquals(2310, batch.detect(new double[2360], new double[2360]).decided());
        assertEquals(2100, batch.detect(new double[2100], new double[2100]).decided());
        // Shorter than one window: one window over everything, as the reference shrinks its window.
        assertEquals(2000, batch.detect(new double[2000], new double[2000]).decided());
        assertEquals(0, batch.detect(new double[0], new double[0]).decided());
    }

    @Test
    void findsABurstAndReportsItOnce() {
        int n = 3500;
        double[] errors = new double[n];
        double[] values = new double[n];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            values[i] = Math.sin(i / 40.0);
            errors[i] = Math.abs(0.2 * random.nextGaussian()) + (i >= 2800 && i < 2860 ? 1.5 : 0);
        }
        BatchTelemanom.Result result = batch.detect(errors, values);
        assertEquals(1, result.sequences().size(), result.sequences().toString());
        AnomalySequence s = result.sequences().get(0);
        assertTrue(s.start() <= 2860 && s.end() >= 2800, s.toString());
        assertTrue(s.severity() > 0);
        assertEquals(s.length(), result.anomalous().cardinality());
        // The smoothed errors returned are the ones thresholded: start-up values replaced.
        double[] head = Arrays.copyOf(result.smoothed(), 250);
        assertTrue(Arrays.stream(head).allMatch(v -> v == head[0]));
    }
}
