package io.vigil.models.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.export.ParameterExport;
import io.vigil.models.network.TelemanomNetwork;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ParameterExportTest {

    @Test
    void exportsParamsAsLittleEndianFloatsWithTheirSha256() {
        LstmArchitecture shape = LstmArchitecture.newBuilder().setInputSize(1).setLayers(1).setUnits(4).setOutputSize(1).build();
        MultiLayerNetwork network = TelemanomNetwork.create(shape, 1e-3, 1);
        ParameterExport.Export export = ParameterExport.export(network);
        assertEquals(shape, export.architecture());
        float[] expected = network.params().toFloatVector();
        float[] read = new float[expected.length];
        ByteBuffer.wrap(export.parameters()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(read);
        assertArrayEquals(expected, read);
        assertEquals(ParameterExport.sha256Hex(export.parameters()), export.checksum());
        assertEquals(export.parameters().length, export.parameterBuffer().remaining());
        // The well-known digest of "abc", so the hex form is the conventional lower-case one.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                ParameterExport.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void refusesNetworksTheScorerWouldComputeDifferently() {
        assertRefused(network(new GravesLSTM.Builder().nIn(1).nOut(4).activation(Activation.TANH).build(),
                Activation.IDENTITY), "GravesLSTM");
        assertRefused(network(new LSTM.Builder().nIn(1).nOut(4).build(), Activation.IDENTITY), "tanh");
        assertRefused(network(new LSTM.Builder().nIn(1).nOut(4).activation(Activation.TANH)
                .gateActivationFunction(Activation.HARDSIGMOID).build(), Activation.IDENTITY), "sigmoid gates");
        assertRefused(network(new LSTM.Builder().nIn(1).nOut(4).activation(Activation.TANH).build(),
                Activation.TANH), "identity");
    }

    private static void assertRefused(MultiLayerNetwork network, String reason) {
        var e = assertThrows(IllegalArgumentException.class, () -> ParameterExport.export(network));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static MultiLayerNetwork network(org.deeplearning4j.nn.conf.layers.Layer recurrent, Activation output) {
        var conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(recurrent)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1).activation(output).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }
}
