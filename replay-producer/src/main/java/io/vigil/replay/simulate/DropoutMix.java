package io.vigil.replay.simulate;

import java.util.Locale;

/**
 * Relative weights of the telescope nodes' dropout kinds ({@code --dropouts flap=6,park=3,die=1}): a
 * flap stops the heartbeats and brings them back, a park sends PARKED and goes quiet for a while
 * (expected silence, not a fault), a death stops the node for the rest of the run.
 */
public record DropoutMix(double flap, double park, double die) {

    public static final DropoutMix DEFAULT = new DropoutMix(6, 3, 1);

    public DropoutMix {
        if (flap < 0 || park < 0 || die < 0 || flap + park + die <= 0) {
            throw new IllegalArgumentException("dropout weights must be >= 0 and not all 0");
        }
    }

    /** Parses {@code flap=6,park=3,die=1}; kinds left out weigh 0. */
    public static DropoutMix parse(String text) {
        double flap = 0;
        double park = 0;
        double die = 0;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + part + "' is not kind=weight (kinds: flap, park, die)");
            }
            double weight;
            try {
                weight = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight of " + kv[0].trim() + " is not a number: '" + kv[1] + "'");
            }
            switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                case "flap" -> flap = weight;
                case "park" -> park = weight;
                case "die" -> die = weight;
                default -> throw new IllegalArgumentException("unknown dropout kind '" + kv[0].trim() + "' (flap, park, die)");
            }
        }
        return new DropoutMix(flap, park, die);
    }

    Kind pick(Rng rng) {
        return Kind.values()[rng.weighted(flap, park, die)];
    }

    /** The dropout kinds; {@link #label()} is the {@code LabelSegment.kind} published. */
    enum Kind {
        FLAP("flap"), PARK("park"), DIE("die");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }
}
