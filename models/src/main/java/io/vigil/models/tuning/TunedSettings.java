package io.vigil.models.tuning;

import io.vigil.models.training.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings {@code models tune} chose, per subsystem, as {@code models train --tuned DIR} applies them:
 * a channel whose subsystem (by the pattern the tuning ran with) has a winner trains with the winner's
 * settings, the others with the command line's.
 */
public record TunedSettings(Path directory, List<Tuned> tuned) {

    /**
     * One subsystem's winner.
     *
     * @param pattern the {@link Subsystems} pattern that grouped the channels
     * @param rung the highest rung reached; {@code epochs} its budget
     * @param loss the winner's objective there: mean best validation loss over {@code channels}
     * @param defaultsLoss the base settings' (trial 0) loss on the highest rung they reached, {@code defaultsRung}
     */
    public record Tuned(String subsystem, String pattern, int trial, int rung, int epochs, double loss,
            List<String> channels, HyperParameters settings, int defaultsRung, double defaultsLoss, String tunedAt) {

        String origin(Path directory) {
            return String.format(Locale.ROOT, "tuned: subsystem %s, trial %d (%s)", subsystem, trial, directory);
        }
    }

    /** Every winner under {@code directory}. */
    public static TunedSettings read(Path directory) {
        List<Tuned> all = TuningFiles.readBest(directory);
        if (all.isEmpty()) {
            throw new IllegalArgumentException(directory + ": no tuned subsystem (no */" + TuningFiles.BEST + ")");
        }
        return new TunedSettings(directory, all);
    }

    /** The winner for {@code channelId}'s subsystem, if it was tuned. */
    public Optional<Tuned> forChannel(String channelId) {
        return tuned.stream().filter(t -> Subsystems.matching(t.pattern()).subsystemOf(channelId).equals(t.subsystem())).findFirst();
    }

    /** {@code base} with the channel's subsystem's settings, its origin naming them; {@code base} if untuned. */
    public TrainingConfig configFor(String channelId, TrainingConfig base) {
        return forChannel(channelId).map(t -> t.settings().applyTo(base).withOrigin(t.origin(directory))).orElse(base);
    }
}
