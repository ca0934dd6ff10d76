package io.vigil.models.network;

import io.vigil.avro.LstmArchitecture;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Telemanom's forecaster in Deeplearning4j: stacked LSTM layers (tanh; DL4J's default would be
 * sigmoid) with dropout 0.3 after each, and a linear dense output, trained with MSE and Adam to
 * predict the next value. DL4J's {@code dropOut(p)} is a keep probability applied to a layer's
 * input, so Keras' {@code Dropout(0.3)} after layer L is {@code dropOut(0.7)} on layer L + 1.
 */
public final class TelemanomNetwork {

    /** Probability of keeping an activation: Telemanom drops 30 %. */
    public static final double KEEP_PROBABILITY = 0.7;

    private TelemanomNetwork() {}

    /** A freshly initialised network of the given shape, with Telemanom's dropout. */
    public static MultiLayerNetwork create(LstmArchitecture architecture, double learningRate, long seed) {
        return create(architecture, learningRate, KEEP_PROBABILITY, seed);
    }

    /**
     * A freshly initialised network of the given shape.
     *
     * @param keepProbability probability of keeping an activation on the input of every layer above the first
     */
    public static MultiLayerNetwork create(LstmArchitecture architecture, double learningRate, double keepProbability,
            long seed) {
        if (architecture.getLayers() < 1 || architecture.getUnits() < 1) {
            throw new IllegalArgumentException("an LSTM forecaster needs at least one layer and one unit: " + architecture);
        }
        var list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int units = architecture.getUnits();
        for (int layer = 0; layer < architecture.getLayers(); layer++) {
            LSTM.Builder lstm = new LSTM.Builder()
                    .nIn(layer == 0 ? architecture.getInputSize() : units)
                    .nOut(units)
                    .activation(Activation.TANH);
            if (layer > 0) {
                lstm.dropOut(keepProbability);
            }
            list.layer(lstm.build());
        }
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(units)
                .nOut(architecture.getOutputSize())
                .activation(Activation.IDENTITY)
                .dropOut(keepProbability)
                .build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    /** Telemanom's default shape: one input, two layers of 80 units, one output (one step ahead). */
    public static LstmArchitecture defaultArchitecture() {
        return LstmArchitecture.newBuilder().setInputSize(1).setLayers(2).setUnits(80).setOutputSize(1).build();
    }
}
