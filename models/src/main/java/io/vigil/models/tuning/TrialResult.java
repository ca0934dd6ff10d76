package io.vigil.models.tuning;

import java.util.List;

/**
 * One trial trained on one rung's budget: a line of the tuning journal.
 *
 * @param loss the objective, the mean over the trial's channels of their best validation loss; null
 *     when a channel failed to train
 * @param error why the trial failed, else null
 * @param plan fingerprint of what else decided the result: the base config's untuned fields and the
 *     channels' data ({@link Tuner#fingerprint})
 */
public record TrialResult(int trial, int rung, int epochs, HyperParameters settings, Double loss, double seconds,
        List<ChannelResult> channels, String error, String plan) {

    /** One channel of a trial: the best validation loss within the budget, and where it was reached. */
    public record ChannelResult(String channel, double valLoss, int epochs, int bestEpoch, double seconds) {}

    public double objective() {
        return loss == null ? Double.POSITIVE_INFINITY : loss;
    }

    Asha.Job job() {
        return new Asha.Job(trial, rung);
    }
}
