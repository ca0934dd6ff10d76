package io.vigil.models.training;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.data.ChannelData;
import java.util.List;
import java.util.Random;

/** Small synthetic channels and a tiny network for fast training tests. */
final class Series {

    /** Telemanom's shape, shrunk: two LSTM layers of 8 units. Seconds, not minutes, per run. */
    static final LstmArchitecture TINY = LstmArchitecture.newBuilder().setInputSize(1).setLayers(2).setUnits(8)
            .setOutputSize(1).build();

    private Series() {}

    /** A noisy sine of period 40 around {@code level} with amplitude {@code amplitude}; no test part to speak of. */
    static ChannelData sine(String id, int n, double level, double amplitude) {
        Random random = new Random(id.hashCode());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = level + amplitude * Math.sin(2 * Math.PI * i / 40.0) + amplitude * 0.02 * random.nextGaussian();
        }
        return new ChannelData(id, "test", v, new double[] {level}, null, null, List.of(), List.of());
    }

    /** The tiny network with a short l_s and a learning rate that converges in a few epochs. */
    static TrainingConfig tiny(Scheme scheme, int epochs) {
        return TrainingConfig.of(scheme).withArchitecture(TINY).withSequenceLength(40).withLearningRate(1e-2)
                .withMaxEpochs(epochs);
    }
}
