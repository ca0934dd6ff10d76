package io.vigil.topology.scoring;

import io.vigil.avro.DeadLetterReason;
import io.vigil.topology.release.ActiveModel;
import io.vigil.topology.release.ModelDescriptor;
import io.vigil.topology.scoring.lstm.LstmForwardPass;
import io.vigil.topology.scoring.telemanom.AnomalySequence;
import io.vigil.topology.scoring.telemanom.SegmentEvent;
import io.vigil.topology.scoring.telemanom.StreamState;
import io.vigil.topology.scoring.telemanom.StreamingThreshold;

/**
 * Scores a point of a channel that has a champion, Telemanom's way:
 *
 * <ol>
 *   <li>the value is scaled with the model's training bounds to x in [-1, 1] (not clipped);</li>
 *   <li>the forecast for this point is the one the network made when it stepped on the previous
 *       point, kept in state; the error is e = |forecast - x| in scaled units;</li>
 *   <li>the network steps on x, which updates h and c and yields the forecast for the next point;</li>
 *   <li>after the warm-up ({@link ModelDescriptor#warmupSteps()} values since the last reset, so the
 *       recurrent state has seen as much context as a training sequence) e and x feed the
 *       {@link StreamingThreshold}, whose report and segment events become the verdict and the
 *       anomaly events.</li>
 * </ol>
 *
 * A value that scales beyond a finite float, or that drives the forecast to a non-finite number, is
 * refused ({@link PointRefused}, VALUE_OUT_OF_RANGE) before it can poison the recurrent state.
 *
 * <p>During the warm-up the point is reported with its forecast and error (none for the very first
 * point after a reset) and no smoothed error, threshold or flag.
 */
final class LstmScorer {

    private final LstmForwardPass pass;

    LstmScorer(LstmForwardPass pass) {
        this.pass = pass;
    }

    PointVerdict score(LstmChannel channel, ActiveModel model, ChunkWindow window, String channelId, long time,
                       double value, AnomalyRun run, AnomalyRun.Emitter emitter) {
        ModelDescriptor d = model.descriptor();
        double x = d.scale(value);
        if (!Float.isFinite((float) x)) {
            throw new PointRefused(DeadLetterReason.VALUE_OUT_OF_RANGE, "value " + value + " scales to " + x
                    + " with the model's bounds [" + d.scaleMin() + ", " + d.scaleMax() + "], beyond a finite network input");
        }
        long consumed = channel.steps;
        double error = consumed > 0 ? Math.abs(channel.pending - x) : Double.NaN;
        double forecast = consumed > 0 ? d.unscale(channel.pending) : Double.NaN;
        channel.pending = pass.step(model.weights(), channel.state, (float) x);
        if (!Float.isFinite(channel.pending)) {
            // The recurrent state is poisoned too; the caller drops it with the point.
            throw new PointRefused(DeadLetterReason.VALUE_OUT_OF_RANGE, "value " + value + " (scaled " + x
                    + ") drives the network's forecast to " + channel.pending);
        }
        channel.steps = consumed + 1;
        long index = consumed - d.warmupSteps();
        if (index < 0) {
            return new PointVerdict(forecast, error, Double.NaN, Double.NaN, false);
        }
        StreamState header = channel.header(d.settings());
        window.bind(channelId, d.settings(), header, index, time);
        StreamingThreshold.Report report = model.threshold().accept(window, error, x);
        StreamState updated = window.header();
        channel.header(updated);
        for (SegmentEvent e : report.events()) {
            if (e.kind() == SegmentEvent.Kind.OPEN) {
                run.opened(window.timeOf(e.start()), window.timeOf(e.end()), e.severity(), emitter);
            } else {
                run.closed(window.timeOf(e.end()), e.severity(), emitter);
            }
        }
        AnomalySequence open = updated.openSequence();
        if (open != null && report.decidedThrough() == index) {
            run.extended(window.timeOf(open.end()), open.severity());
        }
        return new PointVerdict(forecast, error, report.smoothedError(), report.threshold(), report.anomalous());
    }
}
