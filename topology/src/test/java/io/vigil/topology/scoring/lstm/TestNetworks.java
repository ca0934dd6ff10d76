package io.vigil.topology.scoring.lstm;

import io.vigil.avro.LstmArchitecture;
import java.util.SplittableRandom;

/** Shapes and weights for the engine's tests. */
final class TestNetworks {

    private TestNetworks() {}

    static LstmArchitecture shape(int layers, int units) {
        return LstmArchitecture.newBuilder().setInputSize(1).setLayers(layers).setUnits(units).setOutputSize(1).build();
    }

    /**
     * Random parameters in DL4J's flat layout, scaled like Xavier initialisation (std sqrt(2 / (fanIn
     * + fanOut))) so the gates neither saturate nor sit at zero.
     */
    static float[] randomFlat(LstmArchitecture a, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] flat = new float[(int) LstmParameters.parameterCount(a)];
        double scale = Math.sqrt(6.0 / (a.getUnits() + 4 * a.getUnits()));
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return flat;
    }

    /** A bounded, non-periodic input in [-1, 1]: two incommensurate sines and some noise. */
    static float[] series(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] xs = new float[length];
        for (int t = 0; t < length; t++) {
            double v = 0.6 * Math.sin(t * 0.05) + 0.3 * Math.sin(t * 0.0131 + 1) + 0.1 * (random.nextDouble() * 2 - 1);
            xs[t] = (float) v;
        }
        return xs;
    }
}
