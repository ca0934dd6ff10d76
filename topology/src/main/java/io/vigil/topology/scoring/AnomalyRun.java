package io.vigil.topology.scoring;

import io.vigil.avro.AnomalyStatus;

/**
 * The channel's current run of anomalous points in event time, and the rule that turns runs into
 * OPEN and CLOSED events. Both detectors share one convention: a run of a single point is never a
 * segment, so an OPEN is never retracted, and every OPEN is followed by exactly one CLOSED.
 *
 * <ul>
 *   <li>Baseline: a run starts at an anomalous point, OPENs at its second consecutive anomalous
 *       point, and CLOSEs at the first nominal point, ending at the last anomalous one.</li>
 *   <li>LSTM: the {@link io.vigil.topology.scoring.telemanom.StreamingThreshold}'s segment events,
 *       which carry their points' event times, open and close the run.</li>
 *   <li>Any reset of the channel (new champion, retired model, long gap) first closes an open run
 *       where it was last known to end, with the severity known so far.</li>
 * </ul>
 */
final class AnomalyRun {

    /** Receives the events a run produces. */
    interface Emitter {
        void emit(AnomalyStatus status, long start, Long end, double severity);
    }

    private static final long NONE = Long.MIN_VALUE;

    private long start = NONE;
    private long end = NONE;
    private double severity;
    private boolean opened;

    boolean isOpen() {
        return opened;
    }

    /** The baseline's verdict on a point at {@code time}. */
    void baselinePoint(boolean anomalous, long time, double pointSeverity, Emitter emitter) {
        if (anomalous) {
            if (start == NONE) {
                start = time;
                severity = pointSeverity;
            } else {
                severity = Math.max(severity, pointSeverity);
            }
            end = time;
            if (!opened && end > start) {
                opened = true;
                emitter.emit(AnomalyStatus.OPEN, start, null, severity);
            }
        } else if (start != NONE) {
            close(emitter);
        }
    }

    /** The threshold opened a segment spanning {@code [startTime, endTime]} so far. */
    void opened(long startTime, long endTime, double segmentSeverity, Emitter emitter) {
        start = startTime;
        end = endTime;
        severity = segmentSeverity;
        opened = true;
        emitter.emit(AnomalyStatus.OPEN, start, null, severity);
    }

    /** The open segment grew: decided through {@code endTime}. */
    void extended(long endTime, double segmentSeverity) {
        if (opened) {
            end = endTime;
            severity = segmentSeverity;
        }
    }

    /** The threshold closed the open segment at {@code endTime}. */
    void closed(long endTime, double segmentSeverity, Emitter emitter) {
        end = endTime;
        severity = segmentSeverity;
        close(emitter);
    }

    /** Ends the run as far as it is known: a CLOSED if it was open, nothing for a single point. */
    void close(Emitter emitter) {
        if (opened) {
            emitter.emit(AnomalyStatus.CLOSED, start, end, severity);
        }
        start = NONE;
        end = NONE;
        severity = 0;
        opened = false;
    }

    long start() {
        return start;
    }

    long end() {
        return end;
    }

    double severity() {
        return severity;
    }

    /** The run the four fields describe, as {@link #start()} and the rest return them. */
    static AnomalyRun of(long start, long end, double severity, boolean opened) {
        AnomalyRun run = new AnomalyRun();
        run.start = start;
        run.end = end;
        run.severity = severity;
        run.opened = opened;
        return run;
    }
}
