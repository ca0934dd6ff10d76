package io.vigil.topology.scoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What operators alert on from the scoring path: scores per detector ({@code vigil_scores_total}),
 * anomaly segments opened per detector ({@code vigil_anomaly_segments_opened_total}), how far behind
 * event time points are scored ({@code vigil_scoring_lag_seconds}, a histogram), channels that started
 * over ({@code vigil_scoring_state_resets_total{reason=model|gap}}, a channel's very first model is not
 * a reset) and channels read back from the stores ({@code vigil_scoring_channel_loads_total}). Points dated ahead of
 * the clock (a replay running ahead) are not in the lag histogram: their lag would be negative.
 */
final class ScoringMeters {

    /** Histogram buckets: from a healthy sub-second pipeline to a backlog of minutes. */
    private static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofMinutes(30)};

    /**
     * Histogram buckets of the drift distance, in scaled units: the training series spans 2, so 0.1 is a
     * twentieth of its range, and past 1 the values sit about half a range away from it.
     */
    private static final double[] DRIFT_BUCKETS = {0.02, 0.05, 0.1, 0.2, 0.5, 1, 2};

    private final Map<Detector, Counter> scores = new EnumMap<>(Detector.class);
    private final DistributionSummary drift;
    private final Map<Detector, Counter> opened = new EnumMap<>(Detector.class);
    private final Timer lag;
    private final Counter modelResets;
    private final Counter gapResets;
    private final Counter loads;

    ScoringMeters(MeterRegistry meters) {
        for (Detector detector : Detector.values()) {
            String tag = detector.name().toLowerCase(Locale.ROOT);
            scores.put(detector, Counter.builder("vigil.scores").description("points scored")
                    .tag("detector", tag).register(meters));
            opened.put(detector, Counter.builder("vigil.anomaly.segments.opened").description("anomaly segments opened")
                    .tag("detector", tag).register(meters));
        }
        lag = Timer.builder("vigil.scoring.lag").description("from a point's event time to its score")
                .serviceLevelObjectives(LAG_BUCKETS).register(meters);
        drift = DistributionSummary.builder("vigil.scoring.drift")
                .description("each scored point's drift distance: W1 of the channel's recent values from its training values")
                .serviceLevelObjectives(DRIFT_BUCKETS).register(meters);
        modelResets = resets(meters, "model");
        gapResets = resets(meters, "gap");
        loads = Counter.builder("vigil.scoring.channel.loads")
                .description("channels read back from the stores: after a start, a rebalance, an eviction or a failed point")
                .register(meters);
    }

    private static Counter resets(MeterRegistry meters, String reason) {
        return Counter.builder("vigil.scoring.state.resets")
                .description("channels whose LSTM state and threshold window started over")
                .tag("reason", reason)
                .register(meters);
    }

    void reset(ChannelScorer.Reset reset) {
        switch (reset) {
            case MODEL -> modelResets.increment();
            case GAP -> gapResets.increment();
            case NONE -> { }
        }
    }

    void loaded() {
        loads.increment();
    }

    void scored(ChannelScore score, Iterable<AnomalyEvent> events) {
        scores.get(score.getDetector()).increment();
        if (score.getDrift() != null) {
            drift.record(score.getDrift());
        }
        long lagMs = score.getScoredAt().toEpochMilli() - score.getEventTime().toEpochMilli();
        if (lagMs >= 0) {
            lag.record(Duration.ofMillis(lagMs));
        }
        for (AnomalyEvent event : events) {
            if (event.getStatus() == AnomalyStatus.OPEN) {
                opened.get(event.getDetector()).increment();
            }
        }
    }
}
