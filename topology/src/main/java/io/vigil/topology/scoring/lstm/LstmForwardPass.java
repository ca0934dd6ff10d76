package io.vigil.topology.scoring.lstm;

/**
 * One step of a stacked LSTM forecaster: feed one value, get the forecast of the next one.
 * Numerically this is DL4J's {@code rnnTimeStep} on an input of shape {@code [1, 1, 1]} (to float32
 * rounding), with the layout documented on {@link LstmParameters}.
 *
 * <p>Implementations ({@link LstmForwardPasses}) hold no per-channel data and may be shared by
 * threads; the state passed in must not be.
 */
public interface LstmForwardPass {

    /**
     * Advances {@code state} by one input value and returns dense output 0.
     *
     * @param parameters the channel's weights; the network must have {@code inputSize == 1}
     * @param state the channel's recurrent state, updated in place
     * @param x the input value, scaled as in training
     * @return the one-step-ahead forecast, in the same scaled units
     * @throws IllegalArgumentException if the state does not fit the parameters or inputSize is not 1
     */
    float step(LstmParameters parameters, LstmState state, float x);
}
