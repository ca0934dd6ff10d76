package io.vigil.models.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The validation loss both schemes are judged by: the mean squared one-step-ahead error over the held-out
 * end of the training series, each prediction made the way the scorer makes it, by a network that has
 * run over the preceding values with its state carried.
 *
 * <p>Running the whole series through one sequence each epoch would cost as much as training, so the
 * held-out targets are cut into pieces of {@code l_s}, each preceded by {@code l_s} warm-up values (from
 * the fitting part where needed) that are fed but not scored, and the pieces run as one minibatch. Only
 * inputs strictly before a target are fed to predict it; padding at the end of the last piece is masked
 * out. Inference mode: no dropout.
 */
final class Validation {

    private final INDArray features;
    /** {@link #features} as the kernel reads it. */
    private final float[] x;
    private final float[] targets;
    private final boolean[] scored;
    private final int pieces;
    private final int length;
    private final int count;

    /**
     * @param series the scaled training series
     * @param firstTarget index of the first held-out value; every value from there on is a target
     * @param warmUp values fed before each piece's first target
     */
    Validation(float[] series, int firstTarget, int warmUp, int pieceLength) {
        this(new float[][] {series}, firstTarget, warmUp, pieceLength);
    }

    /**
     * @param features the scaled training series, {@code [feature][point]}: feature 0 the value, whose
     *     next step is the target, and the input features fed beside it
     */
    Validation(float[][] features, int firstTarget, int warmUp, int pieceLength) {
        float[] series = features[0];
        int width = features.length;
        if (firstTarget < 1 || firstTarget >= series.length) {
            throw new IllegalArgumentException("validation needs at least one value before and one after the split");
        }
        int targetsTotal = series.length - firstTarget;
        this.pieces = (targetsTotal + pieceLength - 1) / pieceLength;
        int warm = Math.min(warmUp, firstTarget - 1);
        this.length = warm + Math.min(pieceLength, targetsTotal);
        float[] x = new float[pieces * width * length];
        this.targets = new float[pieces * length];
        this.scored = new boolean[pieces * length];
        int counted = 0;
        for (int p = 0; p < pieces; p++) {
            int firstOfPiece = firstTarget + p * pieceLength;
            int start = firstOfPiece - warm; // the first value predicted (warm-up or target)
            for (int t = 0; t < length; t++) {
                int target = start + t;
                if (target >= series.length) {
                    break; // padding: input 0, not scored
                }
                for (int f = 0; f < width; f++) {
                    x[(p * width + f) * length + t] = features[f][target - 1];
                }
                targets[p * length + t] = series[target];
                if (target >= firstOfPiece) {
                    scored[p * length + t] = true;
                    counted++;
                }
            }
        }
        this.count = counted;
        this.x = x;
        // [pieces, features, length] in 'c' order: piece p, feature f, step t at (p * width + f) * length + t.
        this.features = Nd4j.create(x, new long[] {pieces, width, length}, 'c');
    }

    /** Mean squared error per scored value, of DL4J's network. */
    double loss(MultiLayerNetwork network) {
        network.rnnClearPreviousState();
        INDArray out = network.output(features, false);
        // [pieces, outputs, length]: output 0 is the one-step forecast.
        return meanSquared(out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c')
                .reshape(pieces * (long) length).toFloatVector());
    }

    /** Mean squared error per scored value, of the kernel's network. */
    double loss(LstmKernel kernel) {
        return meanSquared(kernel.predict(x, pieces, length));
    }

    private double meanSquared(float[] y) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            if (scored[i]) {
                double e = (double) y[i] - targets[i];
                sum += e * e;
            }
        }
        return sum / count;
    }

    int targets() {
        return count;
    }
}
