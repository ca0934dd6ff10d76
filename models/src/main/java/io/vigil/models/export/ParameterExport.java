package io.vigil.models.export;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Turns a trained DL4J forecaster into what a {@code ModelRelease} carries: the shape, the flat
 * parameters as little-endian float32 (the layout is documented on {@link LstmParameters}, which reads
 * them in the scorer) and their SHA-256.
 *
 * <p>The bytes mean something to the scorer only if the network computes what its forward passes
 * compute, so the export refuses any other network rather than release a model the scorer would
 * silently get wrong: stacked plain {@code LSTM} layers (no peepholes) with tanh activations and
 * sigmoid gates, then one linear {@code RnnOutputLayer}.
 */
public final class ParameterExport {

    /**
     * One exported network. The array is not copied: treat it as read-only.
     *
     * @param parameters DL4J's {@code params()} as little-endian float32
     * @param checksum SHA-256 of {@code parameters}, lower-case hex
     */
    public record Export(LstmArchitecture architecture, byte[] parameters, String checksum) {
        /** The parameters as the Avro field takes them. */
        public ByteBuffer parameterBuffer() {
            return ByteBuffer.wrap(parameters).asReadOnlyBuffer();
        }
    }

    private ParameterExport() {}

    /**
     * Exports {@code network}.
     *
     * @throws IllegalArgumentException if the network is not one the scorer's forward passes compute
     */
    public static Export export(MultiLayerNetwork network) {
        LstmArchitecture architecture = architectureOf(network);
        float[] flat = network.params().castTo(DataType.FLOAT).toFloatVector();
        long expected = LstmParameters.parameterCount(architecture);
        if (flat.length != expected) {
            throw new IllegalStateException("network has " + flat.length + " parameters, its shape " + expected);
        }
        ByteBuffer bytes = ByteBuffer.allocate(flat.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(flat);
        byte[] parameters = bytes.array();
        return new Export(architecture, parameters, sha256Hex(parameters));
    }

    /**
     * The shape of a forecaster the scorer can run.
     *
     * @throws IllegalArgumentException naming the first layer the scorer would compute differently
     */
    public static LstmArchitecture architectureOf(MultiLayerNetwork network) {
        int layerCount = network.getnLayers();
        if (layerCount < 2) {
            throw new IllegalArgumentException("expected LSTM layers then an RnnOutputLayer, got " + layerCount + " layer(s)");
        }
        long inputSize = -1;
        long units = -1;
        for (int i = 0; i < layerCount - 1; i++) {
            Layer layer = network.getLayerWiseConfigurations().getConf(i).getLayer();
            if (layer.getClass() != LSTM.class) {
                throw new IllegalArgumentException("layer " + i + " is " + layer.getClass().getSimpleName()
                        + "; the scorer runs plain LSTM layers only");
            }
            LSTM lstm = (LSTM) layer;
            require(lstm.getActivationFn() instanceof ActivationTanH, i, "tanh activation", lstm.getActivationFn());
            require(lstm.getGateActivationFn() instanceof ActivationSigmoid, i, "sigmoid gates", lstm.getGateActivationFn());
            if (i == 0) {
                inputSize = lstm.getNIn();
            } else {
                require(lstm.getNOut() == units && lstm.getNIn() == units, i, units + " units like layer 0",
                        lstm.getNIn() + "->" + lstm.getNOut());
            }
            units = lstm.getNOut();
        }
        int last = layerCount - 1;
        Layer top = network.getLayerWiseConfigurations().getConf(last).getLayer();
        if (top.getClass() != RnnOutputLayer.class) {
            throw new IllegalArgumentException("layer " + last + " is " + top.getClass().getSimpleName()
                    + "; the scorer expects an RnnOutputLayer");
        }
        RnnOutputLayer output = (RnnOutputLayer) top;
        require(output.getActivationFn() instanceof ActivationIdentity, last, "identity activation", output.getActivationFn());
        require(output.getNIn() == units, last, units + " inputs", output.getNIn());
        return LstmArchitecture.newBuilder()
                .setInputSize(Math.toIntExact(inputSize))
                .setLayers(layerCount - 1)
                .setUnits(Math.toIntExact(units))
                .setOutputSize(Math.toIntExact(output.getNOut()))
                .build();
    }

    private static void require(boolean ok, int layer, String expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException("layer " + layer + " must have " + expected + ", has " + actual);
        }
    }

    /** SHA-256 of {@code bytes} as lower-case hex, the form of {@code ModelRelease.checksum}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
