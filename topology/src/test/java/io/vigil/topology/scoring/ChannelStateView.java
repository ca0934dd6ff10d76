package io.vigil.topology.scoring;

import io.vigil.topology.release.ActiveModel;

/** A channel's scoring state as the scorer would load it from its stores, for tests outside this package. */
public final class ChannelStateView {

    private final ChannelScorer state;

    private ChannelStateView(ChannelScorer state) {
        this.state = state;
    }

    /**
     * The channel's record alone, without its tail: the whole state of a baseline channel, whose
     * record is rewritten on every point.
     */
    public static ChannelStateView of(byte[] record) {
        return new ChannelStateView(ChannelCodec.record("channel", record));
    }

    /** The channel as a scorer would load it: its record, then its tail replayed with {@code model}. */
    public static ChannelStateView load(String channel, byte[] record, ActiveModel model,
                                        ChannelScorer.WindowReader window) {
        return new ChannelStateView(ChannelScorer.load(channel, record, model, window,
                new ChannelScorer.Rules(ScoringSettings.DEFAULT, new BaselineDetector(BaselineDetector.Settings.DEFAULT),
                        io.vigil.topology.scoring.lstm.LstmForwardPasses.best())).scorer());
    }

    public long lastTime() {
        return state.lastTime();
    }

    /** The baseline's state, or null while an LSTM scores the channel. */
    public BaselineDetector.State baseline() {
        return state.baseline();
    }

    /** The model version the channel runs, or null on the baseline. */
    public Integer modelVersion() {
        return state.modelVersion();
    }

    /** Values the LSTM consumed since its last reset. */
    public long lstmSteps() {
        return state.lstmSteps();
    }

    public boolean segmentOpen() {
        return state.segmentOpen();
    }
}
