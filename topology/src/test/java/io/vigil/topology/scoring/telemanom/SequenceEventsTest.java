package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How decided flags become sequences and events, with the windows' verdicts given directly. */
class SequenceEventsTest {

    /** h = 60 in batches of 10; lS = 10, so the first window decides 20..59. */
    private static final ThresholdSettings SMALL = new ThresholdSettings(10, 6, 0.05, 5, 0.13, 10);

    private static WindowVerdict flags(int[] relative, double... severity) {
        return new WindowVerdict(1, 1, 3, 12, true, relative, severity);
    }

    private static List<SegmentEvent> decide(StreamState state, long windowStart, WindowVerdict verdict) {
        int first = windowStart == 0 ? SMALL.startupIgnored() : SMALL.windowLength() - SMALL.batchSize();
        long[] times = new long[SMALL.windowLength()];
        for (int i = 0; i < times.length; i++) {
            times[i] = time(windowStart + i);
        }
        return StreamingThreshold.track(state, verdict, windowStart, first, times);
    }

    /** Event time of index i: a second apart from 2023-11-14. */
    private static long time(long index) {
        return 1_700_000_000_000L + 1_000 * index;
    }

    private static SegmentEvent open(long start, long end, double severity) {
        return SegmentEvent.open(start, end, severity, time(start), time(end));
    }

    private static SegmentEvent closed(long start, long end, double severity) {
        return SegmentEvent.closed(start, end, severity, time(start), time(end));
    }

    @Test
    void aRunOfOneIndexIsNeverReportedAndARunCrossingBatchesKeepsItsTrueStart() {
        StreamState state = new StreamState(SMALL);
        // Window 0 flags only index 59, the last it decides: a run of one, not yet a sequence.
        assertEquals(List.of(), decide(state, 0, flags(new int[] {59}, 1.0)));
        assertFalse(state.anomalous());
        assertTrue(state.flagged(59));
        // The next batch (60..69) is nominal: the single index is dropped silently.
        assertEquals(List.of(), decide(state, 10, flags(new int[0])));
        assertNull(state.openSequence());

        // 79 flagged at the end of one batch, 80..82 at the start of the next: one sequence 79..82,
        // opened and closed in the same decision, its severity the largest of its indices.
        assertEquals(List.of(), decide(state, 20, flags(new int[] {59}, 2.0)));
        assertEquals(List.of(open(79, 82, 5.0), closed(79, 82, 5.0)),
                decide(state, 30, flags(new int[] {50, 51, 52}, 3.0, 5.0, 4.0)));

        // 95..99 opens (reported as far as decided), the whole next batch continues it silently, and
        // 110 ends it: the first nominal index, 111, closes it in the same decision.
        assertEquals(List.of(open(95, 99, 2.0)),
                decide(state, 40, flags(new int[] {55, 56, 57, 58, 59}, 1.0, 1.0, 2.0, 1.0, 1.0)));
        assertTrue(state.anomalous());
        assertEquals(List.of(), decide(state, 50,
                flags(new int[] {50, 51, 52, 53, 54, 55, 56, 57, 58, 59}, 1, 7, 1, 1, 1, 1, 1, 1, 1, 1)));
        assertEquals(new AnomalySequence(95, 109, 7.0), state.openSequence());
        assertEquals(List.of(closed(95, 110, 7.0)), decide(state, 60, flags(new int[] {50}, 3.0)));
        assertFalse(state.anomalous());
    }

    @Test
    void theBatchFormDropsSingleIndicesAndStopsAtWhatIsDecided() {
        boolean[] flagged = {false, true, false, true, true, false, true, false, true, true};
        double[] severity = {0, 9, 0, 1, 2, 0, 9, 0, 3, 3};
        BatchTelemanom.Result result = BatchTelemanom.group(new double[10], flagged, severity, 9);
        // 1 and 6 are single indices; 8..9 reaches past what is decided (index 8 only): single as well.
        assertEquals(List.of(new AnomalySequence(3, 4, 2)), result.sequences());
        assertEquals(2, result.anomalous().cardinality());
    }
}
