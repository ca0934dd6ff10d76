package io.vigil.bridge.views;

import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.LabelSegment;

/**
 * An anomaly segment (predicted: {@code kind} is the detector, {@code status} OPEN or CLOSED,
 * {@code end} null while open) or a label segment (ground truth: {@code kind} what was labeled,
 * {@code status} LABEL), as {@code /api/anomalies} and {@code /api/labels} list them.
 */
public record SegmentSummary(String channelId, long start, Long end, String status, Double severity,
                             String kind, Integer modelVersion, String source, long recordTime) {

    static SegmentSummary of(AnomalyEvent a, long recordTime) {
        return new SegmentSummary(a.getChannelId(), a.getStart().toEpochMilli(),
                a.getEnd() == null ? null : a.getEnd().toEpochMilli(),
                a.getStatus() == null ? null : a.getStatus().name(), Numbers.finite(a.getSeverity()),
                a.getDetector() == null ? null : a.getDetector().name(), a.getModelVersion(), null, recordTime);
    }

    static SegmentSummary of(LabelSegment l, long recordTime) {
        return new SegmentSummary(l.getChannelId(), l.getStart().toEpochMilli(), l.getEnd().toEpochMilli(),
                "LABEL", null, l.getKind(), null, l.getSource(), recordTime);
    }
}
