package io.vigil.topology.scoring.lstm;

/**
 * One step of a stacked LSTM forecaster: feed one value and the step's input features, get the
 * forecast of the next value. Numerically this is DL4J's {@code rnnTimeStep} on an input of shape
 * {@code [1, inputSize, 1]} (to float32 rounding), with the layout documented on {@link LstmParameters}.
 *
 * <p>Implementations ({@link LstmForwardPasses}) hold no per-channel data and may be shared by
 * threads; the state passed in must not be.
 */
public interface LstmForwardPass {

    /** No input features: a model of the value alone. */
    float[] NO_INPUTS = new float[0];

    /**
     * Advances {@code state} by one step and returns dense output 0.
     *
     * @param parameters the channel's weights
     * @param state the channel's recurrent state, updated in place
     * @param x the value, scaled as in training: network input 0
     * @param inputs the step's input features, scaled as in training: network inputs 1 ..
     *     {@code inputSize - 1}; read, not kept
     * @return the one-step-ahead forecast, in the value's scaled units
     * @throws IllegalArgumentException if the state does not fit the parameters or the inputs are not
     *     {@code inputSize - 1}
     */
    float step(LstmParameters parameters, LstmState state, float x, float[] inputs);

    /** A step of a model of the value alone ({@code inputSize == 1}). */
    default float step(LstmParameters parameters, LstmState state, float x) {
        return step(parameters, state, x, NO_INPUTS);
    }
}
