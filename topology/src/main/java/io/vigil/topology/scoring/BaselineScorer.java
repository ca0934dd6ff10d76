package io.vigil.topology.scoring;

/**
 * Scores a point of a channel without a champion with the {@link BaselineDetector} and feeds its
 * verdicts to the channel's {@link AnomalyRun}. Severity is Telemanom's on the baseline's terms: the
 * excess of the smoothed error over the threshold in units of mu + sigma of the smoothed error's
 * history before the point (the raw excess when that history has no spread).
 */
final class BaselineScorer {

    private final BaselineDetector detector;

    BaselineScorer(BaselineDetector detector) {
        this.detector = detector;
    }

    PointVerdict score(ChannelState state, long time, double value, AnomalyRun.Emitter emitter) {
        BaselineDetector.State before = state.baseline;
        BaselineDetector.Verdict v = detector.score(before, time, value);
        state.baseline = v.next();
        if (before != null) {
            state.run.baselinePoint(v.anomalous(), time, severity(v, before), emitter);
        }
        return new PointVerdict(v.forecast(), v.error(), v.smoothedError(), v.threshold(), v.anomalous());
    }

    private static double severity(BaselineDetector.Verdict v, BaselineDetector.State before) {
        if (!v.anomalous()) {
            return 0;
        }
        double scale = before.errorMean() + Math.sqrt(before.errorVariance());
        double excess = v.smoothedError() - v.threshold();
        return scale > 0 ? excess / scale : excess;
    }
}
