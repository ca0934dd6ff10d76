package io.vigil.replay.simulate;

import java.util.SplittableRandom;

/**
 * The simulators' only source of randomness: seeded, and split per member and purpose, so a seed gives
 * the same fleet and the same anomalies on every run, and adding a draw to one member's noise does not
 * move another member's anomalies.
 */
final class Rng {

    private final SplittableRandom random;

    Rng(long seed) {
        this(new SplittableRandom(seed));
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** An independent stream, determined by this one's seed and how many splits came before. */
    Rng split() {
        return new Rng(random.split());
    }

    double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /** An integer in {@code [low, high]}, both inclusive. */
    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    double gaussian(double sigma) {
        return random.nextGaussian() * sigma;
    }

    double exponential(double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** An index drawn with probability proportional to its weight. */
    int weighted(double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
