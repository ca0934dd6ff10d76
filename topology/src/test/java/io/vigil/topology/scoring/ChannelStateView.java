package io.vigil.topology.scoring;

/** Reads a {@code channel-state} record for tests outside this package. */
public final class ChannelStateView {

    private final ChannelState state;

    private ChannelStateView(ChannelState state) {
        this.state = state;
    }

    public static ChannelStateView of(byte[] record) {
        return new ChannelStateView(ChannelState.fromBytes(record));
    }

    public long lastTime() {
        return state.lastTime;
    }

    /** The baseline's state, or null while an LSTM scores the channel. */
    public BaselineDetector.State baseline() {
        return state.baseline;
    }

    /** The model version the channel runs, or null on the baseline. */
    public Integer modelVersion() {
        return state.lstm == null ? null : state.lstm.version;
    }

    /** Values the LSTM consumed since its last reset. */
    public long lstmSteps() {
        return state.lstm.steps;
    }

    public boolean segmentOpen() {
        return state.run.isOpen();
    }
}
