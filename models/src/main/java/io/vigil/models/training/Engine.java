package io.vigil.models.training;

import java.util.Locale;

/** What computes the tBPTT scheme's gradients and updates. */
public enum Engine {
    /**
     * The project's own kernel ({@link LstmKernel}) with Adam ({@link Adam}): the default. The same
     * network, initial parameters, dropout and optimiser as DL4J's, many times faster on a channel's
     * batch of one (docs/models.md, "Training speed").
     */
    VIGIL,
    /** DL4J's {@code MultiLayerNetwork.fit}; the only engine of the windows scheme. */
    DL4J;

    public static Engine parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown engine '" + text + "': vigil or dl4j");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
