package io.vigil.models.training;

import io.vigil.avro.ModelInput;
import io.vigil.avro.ScalingBounds;
import io.vigil.models.export.ParameterExport;
import io.vigil.topology.scoring.drift.DriftReference;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One channel's trained forecaster with what a release records about it.
 *
 * @param network the network with the best epoch's parameters (not thread-safe)
 * @param export its parameters as a release carries them
 * @param bounds the value's scaling, fixed from the training series or by the operator
 * @param inputs the input features the network takes beside the value, with their scaling
 * @param epochs epochs run (early stopping may end before the budget)
 * @param bestEpoch the epoch whose parameters were kept (1-based)
 * @param valLoss the validation loss of those parameters: mean squared one-step error per point, scaled units
 * @param valHistory validation loss before training (index 0) and after each epoch
 * @param trainPoints points of the training series (fitting + validation part)
 * @param fitPoints points the network was fitted on
 * @param chunks parallel sub-sequences ({@link Scheme#TBPTT}), or the number of windows ({@link Scheme#WINDOWS})
 * @param seconds wall time of the whole training, validation included
 * @param dataHash SHA-256 of the training series (see {@link io.vigil.models.data.ChannelData#trainHash()})
 * @param drift the scaled training series' quantile sketch, what the scorer measures drift against
 */
public record TrainedModel(String channelId, String source, TrainingConfig config, MultiLayerNetwork network,
        ParameterExport.Export export, ScalingBounds bounds, List<ModelInput> inputs, int epochs, int bestEpoch, double valLoss,
        double[] valHistory, int trainPoints, int fitPoints, int chunks, double seconds, String dataHash,
        DriftReference drift) {

    /** Seconds per 1,000 training points. */
    public double secondsPerThousandPoints() {
        return seconds * 1000.0 / trainPoints;
    }
}
