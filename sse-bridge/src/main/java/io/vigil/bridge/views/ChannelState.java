package io.vigil.bridge.views;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;

import java.util.ArrayList;
import java.util.List;

/**
 * What the bridge remembers about one channel (a few hundred bytes, so 100,000 channels fit): the
 * latest score, the open segment, counts, a ring of the last {@link #SPARK} values and, for the first
 * {@code bridge.views.chart.channels} channels, a {@link ScoreHistory} for charts. An anomaly
 * segment is counted once: at OPEN, or at CLOSED when its OPEN fell before the look-back. Not
 * thread-safe: {@link Views} guards it.
 */
final class ChannelState {

    static final int SPARK = 48;

    private final String id;
    private String source = "";
    private ChannelScore last;
    private long lastRecordTime;
    private AnomalyEvent open;
    private long countedStart = Long.MIN_VALUE;
    private long anomalies;
    private long labels;
    private final double[] spark = new double[SPARK];
    private int sparkCount;
    private int sparkNext;
    /** Null for a channel beyond {@code bridge.views.chart.channels}. */
    private final ScoreHistory history;

    ChannelState(String id, ScoreHistory history) {
        this.id = id;
        this.history = history;
    }

    String source() {
        return source;
    }

    void score(ChannelScore score, long recordTime) {
        last = score;
        lastRecordTime = recordTime;
        if (score.getSource() != null && !score.getSource().isEmpty()) {
            source = score.getSource();
        }
        if (history != null) {
            history.add(score);
        }
        spark[sparkNext] = score.getValue();
        sparkNext = (sparkNext + 1) % SPARK;
        sparkCount = Math.min(SPARK, sparkCount + 1);
    }

    void anomaly(AnomalyEvent event) {
        long start = event.getStart().toEpochMilli();
        if (start != countedStart) {
            countedStart = start;
            anomalies++;
        }
        open = event.getStatus() == AnomalyStatus.CLOSED ? null : event;
    }

    void label() {
        labels++;
    }

    ChartHistory chart(int limit) {
        return history != null ? history.read(id, limit)
                : new ChartHistory(id, false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    ChannelSummary summary() {
        List<Double> values = new ArrayList<>(sparkCount);
        for (int i = 0; i < sparkCount; i++) {
            values.add(Numbers.finite(spark[(sparkNext - sparkCount + i + SPARK) % SPARK]));
        }
        ChannelSummary.LastScore lastScore = last == null ? null : new ChannelSummary.LastScore(
                last.getEventTime().toEpochMilli(), Numbers.finite(last.getValue()),
                Numbers.finite(last.getForecast()), Numbers.finite(last.getSmoothedError()),
                Numbers.finite(last.getThreshold()), last.getAnomalous(),
                last.getDrift() == null ? null : Numbers.finite(last.getDrift()), lastRecordTime);
        ChannelSummary.OpenAnomaly openAnomaly = open == null ? null
                : new ChannelSummary.OpenAnomaly(open.getStart().toEpochMilli(), Numbers.finite(open.getSeverity()));
        return new ChannelSummary(id, source, status(), lastScore,
                last == null || last.getDetector() == null ? null : last.getDetector().name(),
                last == null ? null : last.getModelVersion(), openAnomaly, anomalies, labels, values);
    }

    private String status() {
        if (open != null || (last != null && last.getAnomalous())) {
            return "ANOMALY";
        }
        if (last == null) {
            return "UNKNOWN";
        }
        return Double.isFinite(last.getThreshold()) ? "NORMAL" : "WARMING_UP";
    }
}
