package io.vigil.topology.scoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.topology.release.ActiveModel;

/**
 * When a channel's LSTM starts over, and what starting over means (docs/scoring.md, "Hot swap" and
 * "Gaps"):
 *
 * <ul>
 *   <li>the champion is not the version the channel ran on its last point (a first model, a new
 *       version, a rollback, a retirement): the detector changes with it;</li>
 *   <li>otherwise a long gap ({@link ScoringSettings#isLongGap}) restarts an LSTM channel on the same
 *       model; a baseline channel keeps its statistics.</li>
 * </ul>
 *
 * Starting over closes an open segment (under the detector that found it), deletes the old window's
 * chunks, and gives the LSTM zero state, no pending forecast and an empty window. Counted in
 * {@code vigil.scoring.state.resets{reason=model|gap}} (a channel's very first model is not a reset).
 */
final class ResetRules {

    private final ScoringSettings settings;
    private final Counter modelResets;
    private final Counter gapResets;

    ResetRules(ScoringSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.modelResets = resets(meters, "model");
        this.gapResets = resets(meters, "gap");
    }

    private static Counter resets(MeterRegistry meters, String reason) {
        return Counter.builder("vigil.scoring.state.resets")
                .description("channels whose LSTM state and threshold window started over")
                .tag("reason", reason)
                .register(meters);
    }

    /**
     * Applies the rules to {@code state} before its next point.
     *
     * @param gapMs time since the channel's last point, -1 for its first point
     * @param before receives the CLOSED of a segment open under the channel's previous detector
     */
    void apply(String channel, ChannelState state, ActiveModel model, long gapMs, ChunkWindow window,
               AnomalyRun.Emitter before) {
        LstmChannel lstm = state.lstm;
        boolean modelChanged = model == null ? lstm != null : lstm == null || lstm.version != model.version();
        boolean longGap = false;
        if (gapMs >= 0) {
            longGap = settings.isLongGap(gapMs, state.cadence.medianMs());
            state.cadence.add(gapMs);
        }
        if (!modelChanged && !longGap) {
            return;
        }
        state.run.close(before);
        if (lstm != null) {
            window.clear(channel, lstm.windowSize);
        }
        if (modelChanged) {
            if (gapMs >= 0) {
                modelResets.increment();
            }
            state.lstm = model == null ? null : LstmChannel.start(model.descriptor());
            // Unused while a model scores, and stale once it is retired: the baseline starts afresh.
            state.baseline = null;
        } else if (lstm != null) {
            state.lstm = LstmChannel.start(model.descriptor());
            gapResets.increment();
        }
    }
}
