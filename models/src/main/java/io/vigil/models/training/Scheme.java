package io.vigil.models.training;

import java.util.Locale;

/** How a channel's series becomes training sequences. */
public enum Scheme {
    /**
     * The series cut into a few long parallel sub-sequences (one minibatch), trained with truncated
     * backpropagation through time in segments of {@code l_s} steps, the state carried across segments
     * and every step a one-step-ahead target. The way the scorer runs the model: one long sequence.
     */
    TBPTT,
    /**
     * Telemanom's scheme: every window of {@code l_s} values predicts the value after it (only the last
     * step is a target), windows shuffled into minibatches of 64, each from a zero state.
     */
    WINDOWS;

    public static Scheme parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scheme '" + text + "': tbptt or windows");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
