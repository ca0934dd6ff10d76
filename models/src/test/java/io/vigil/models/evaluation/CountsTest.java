package io.vigil.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.data.LabelRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric functions against cases worked out by hand. */
class CountsTest {

    private static LabelRange label(int first, int last) {
        return new LabelRange(first, last, "");
    }

    @Test
    void aMixedCaseMatchesTheHandCount() {
        // 20 points; labeled 2..4, 10..12, 16..17 (8 points, 12 nominal).
        // Predicted 0..1 (false alarm), 3..5 (hits 2..4), 11 (hits 10..12), 13..14 (false alarm); 16..17 missed.
        Counts c = Counts.of(20, List.of(label(2, 4), label(10, 12), label(16, 17)),
                List.of(new Segment(0, 1), new Segment(3, 5), new Segment(11, 11), new Segment(13, 14)));
        assertEquals(new Counts(2, 1, 2, 5, 12, 3, 5), c);
        assertEquals(0.5, c.precision(), 1e-12);
        assertEquals(2.0 / 3, c.recall(), 1e-12);
        // F0.5 = 1.25 P R / (0.25 P + R) = 0.416667 / 0.791667
        assertEquals(0.526316, c.f05(), 1e-6);
        // ESA-ADB: precision x (1 - 5 false-positive points / 12 nominal points) = 0.5 x 7/12
        assertEquals(0.291667, c.correctedPrecision(), 1e-6);
        assertEquals(0.328638, c.correctedF05(), 1e-6);
        // points: 3 of the 8 flagged are labeled, 3 of the 8 labeled are flagged
        assertEquals(0.375, c.pointF1(), 1e-12);
    }

    @Test
    void moreSegmentsOnADetectedEventAreNeitherHitsNorFalseAlarms() {
        Counts c = Counts.of(30, List.of(label(5, 10)), List.of(new Segment(5, 5), new Segment(7, 7), new Segment(9, 12)));
        assertEquals(1, c.truePositives());
        assertEquals(0, c.falsePositives());
        assertEquals(1.0, c.precision());
        assertEquals(1.0, c.f05(), 1e-12);
        // 11 and 12 are flagged nominal points: the corrected precision pays for them, the event-wise one does not
        assertEquals(2, c.falsePositivePoints());
        assertEquals(1.0 - 2.0 / 24, c.correctedPrecision(), 1e-12);
    }

    @Test
    void noPointAdjustALongEventFoundByOnePointIsOnePointInPointWiseScores() {
        Counts c = Counts.of(100, List.of(label(10, 59)), List.of(new Segment(30, 30)));
        assertEquals(1.0, c.recall());
        assertEquals(1.0 / 50, c.pointRecall(), 1e-12);
        assertEquals(1.0, c.pointPrecision());
    }

    @Test
    void emptyCasesAreZeroOrUndefinedNeverPerfect() {
        Counts missed = Counts.of(10, List.of(label(2, 3)), List.of());
        assertTrue(Double.isNaN(missed.precision()), "nothing predicted: precision is 0/0");
        assertEquals(0.0, missed.recall());
        assertEquals(0.0, missed.f05());
        assertEquals(0.0, missed.correctedF05());

        Counts falseAlarm = Counts.of(10, List.of(), List.of(new Segment(4, 4)));
        assertEquals(0.0, falseAlarm.precision());
        assertTrue(Double.isNaN(falseAlarm.recall()));
        assertEquals(0.0, falseAlarm.f05());

        Counts quiet = Counts.of(10, List.of(), List.of());
        assertTrue(Double.isNaN(quiet.f05()), "no labels and no predictions: nothing to score");
    }

    @Test
    void fleetScoresComeFromSummedCountsNotAveragedScores() {
        Counts a = Counts.of(10, List.of(label(1, 2)), List.of(new Segment(1, 1)));          // 1 TP
        Counts b = Counts.of(10, List.of(label(1, 2), label(6, 7)), List.of(new Segment(4, 4))); // 2 FN, 1 FP
        Counts fleet = a.plus(b);
        assertEquals(new Counts(1, 2, 1, 1, 14, 1, 5), fleet);
        assertEquals(0.5, fleet.precision());
        assertEquals(1.0 / 3, fleet.recall(), 1e-12);
    }
}
