package io.vigil.topology.scoring;

import io.vigil.topology.scoring.drift.DriftWindow;
import io.vigil.topology.scoring.lstm.LstmParameters;

/**
 * How the scorer treats models and the gaps in a channel's points.
 *
 * @param modelCacheSize decoded models this instance keeps ({@code scoring.model.cache.size})
 * @param precision how weights are held in memory ({@code scoring.model.precision}: float32 or half)
 * @param maxGapMs a gap longer than this resets the channel's LSTM state and threshold window
 *     ({@code scoring.max.gap.ms}; 0 = no absolute limit)
 * @param maxGapIntervals a gap longer than this many times the channel's median interval does the
 *     same ({@code scoring.max.gap.intervals}; 0 = no relative limit)
 * @param channelCacheSize channels whose loaded state a scoring task keeps in memory
 *     ({@code scoring.channel.cache.size}; about 5 KB each for 2x80 models); a channel beyond it is
 *     read back from its checkpoint and tail on its next point
 * @param driftWindow points in the exponentially weighted window a channel's drift distance is measured
 *     over ({@code scoring.drift.window}): each point's weight falls by {@code 1 - 1/driftWindow} per
 *     point after it
 */
public record ScoringSettings(int modelCacheSize, LstmParameters.Precision precision, long maxGapMs,
                              double maxGapIntervals, int channelCacheSize, int driftWindow) {

    /** Telemanom's error window is 2,100 points; drift looks at a quarter of that, about 500. */
    public static final ScoringSettings DEFAULT = new ScoringSettings(1000, LstmParameters.Precision.FLOAT32, 0, 10,
            10_000, 500);

    public ScoringSettings {
        if (modelCacheSize < 1 || maxGapMs < 0 || !(maxGapIntervals >= 0) || channelCacheSize < 1) {
            throw new IllegalArgumentException("invalid scoring settings: ScoringSettings[modelCacheSize=" + modelCacheSize
                    + ", precision=" + precision + ", maxGapMs=" + maxGapMs
                    + ", maxGapIntervals=" + maxGapIntervals + ", channelCacheSize=" + channelCacheSize
                    + ", driftWindow=" + driftWindow + "]");
        }
        DriftWindow.decayFor(driftWindow); // the window's own rule, and its message
    }

    /** The drift window's decay per point. */
    public double driftDecay() {
        return DriftWindow.decayFor(driftWindow);
    }

    /** Whether a gap of {@code gapMs} after points whose median interval is {@code medianMs} (0 if unknown) is long. */
    public boolean isLongGap(long gapMs, long medianMs) {
        return (maxGapMs > 0 && gapMs > maxGapMs) || (maxGapIntervals > 0 && medianMs > 0 && gapMs > maxGapIntervals * medianMs);
    }
}
