package io.vigil.models.evaluation;

import io.vigil.models.data.LabelRange;
import java.util.List;

/**
 * What one detector got right and wrong on one channel (or, summed, on a fleet), and the scores that
 * follow. Never point-adjusted: a labeled event is credited as one event, its points only where they
 * were predicted.
 *
 * <p>Event counts follow Telemanom's reference evaluation: a labeled event overlapped by at least one
 * predicted segment is a true positive (once, however many segments overlap it); a labeled event no
 * segment overlaps is a false negative; a predicted segment that overlaps no labeled event is a false
 * positive (extra segments on an already detected event are neither).
 *
 * @param truePositives labeled events detected
 * @param falseNegatives labeled events missed
 * @param falsePositives predicted segments touching no labeled event
 * @param falsePositivePoints predicted points outside every labeled event
 * @param nominalPoints points outside every labeled event
 * @param pointTruePositives predicted points inside a labeled event
 * @param pointFalseNegatives labeled points not predicted
 */
public record Counts(long truePositives, long falseNegatives, long falsePositives, long falsePositivePoints,
        long nominalPoints, long pointTruePositives, long pointFalseNegatives) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

    /** Counts for a series of {@code length} points. Labels and segments must be sorted and disjoint. */
    public static Counts of(int length, List<LabelRange> labels, List<Segment> predicted) {
        boolean[] labeled = new boolean[length];
        boolean[] flagged = new boolean[length];
        long tp = 0;
        long fn = 0;
        for (LabelRange label : labels) {
            for (int i = label.first(); i <= Math.min(label.last(), length - 1); i++) {
                labeled[i] = true;
            }
            boolean hit = predicted.stream().anyMatch(s -> s.overlaps(label.first(), label.last()));
            if (hit) {
                tp++;
            } else {
                fn++;
            }
        }
        long fp = 0;
        for (Segment s : predicted) {
            if (labels.stream().noneMatch(l -> s.overlaps(l.first(), l.last()))) {
                fp++;
            }
            for (int i = s.first(); i <= Math.min(s.last(), length - 1); i++) {
                flagged[i] = true;
            }
        }
        long fpPoints = 0;
        long nominal = 0;
        long pointTp = 0;
        long pointFn = 0;
        for (int i = 0; i < length; i++) {
            if (labeled[i]) {
                if (flagged[i]) {
                    pointTp++;
                } else {
                    pointFn++;
                }
            } else {
                nominal++;
                if (flagged[i]) {
                    fpPoints++;
                }
            }
        }
        return new Counts(tp, fn, fp, fpPoints, nominal, pointTp, pointFn);
    }

    /** The fleet's counts: sums, so fleet scores weigh every event (and point) equally. */
    public Counts plus(Counts o) {
        return new Counts(truePositives + o.truePositives, falseNegatives + o.falseNegatives,
                falsePositives + o.falsePositives, falsePositivePoints + o.falsePositivePoints,
                nominalPoints + o.nominalPoints, pointTruePositives + o.pointTruePositives,
                pointFalseNegatives + o.pointFalseNegatives);
    }

    /** TP / (TP + FP); NaN when nothing was predicted. */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** TP / (TP + FN); NaN when nothing is labeled. */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** Telemanom's event-wise F0.5. */
    public double f05() {
        return fBeta(0.5, precision(), recall(), truePositives, falsePositives + falseNegatives);
    }

    /**
     * ESA-ADB's corrected event-wise precision: the event-wise precision times the share of nominal time
     * not flagged, so a detector cannot hide long false alarms inside few segments.
     */
    public double correctedPrecision() {
        double p = precision();
        if (Double.isNaN(p)) {
            return p;
        }
        return nominalPoints == 0 ? p : p * (1.0 - (double) falsePositivePoints / nominalPoints);
    }

    /** ESA-ADB's corrected event-wise F0.5 (event-wise recall, corrected precision). */
    public double correctedF05() {
        return fBeta(0.5, correctedPrecision(), recall(), truePositives, falsePositives + falseNegatives);
    }

    /** Point-wise precision: predicted points that are labeled. */
    public double pointPrecision() {
        return ratio(pointTruePositives, pointTruePositives + falsePositivePoints);
    }

    /** Point-wise recall: labeled points that are predicted. */
    public double pointRecall() {
        return ratio(pointTruePositives, pointTruePositives + pointFalseNegatives);
    }

    /** Point-wise F1, for reference only: long events dominate it. */
    public double pointF1() {
        return fBeta(1.0, pointPrecision(), pointRecall(), pointTruePositives, falsePositivePoints + pointFalseNegatives);
    }

    /**
     * F-beta; 0 when there are errors but no hit (a precision or recall of 0/0 then counts as 0), NaN
     * when there is nothing to score at all (no labels, no predictions).
     */
    static double fBeta(double beta, double precision, double recall, long hits, long errors) {
        if (hits == 0) {
            return errors == 0 ? Double.NaN : 0.0;
        }
        double b2 = beta * beta;
        return (1 + b2) * precision * recall / (b2 * precision + recall);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }
}
