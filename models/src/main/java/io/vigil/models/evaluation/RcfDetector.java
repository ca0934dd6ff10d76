package io.vigil.models.evaluation;

import com.amazon.randomcutforest.config.Precision;
import com.amazon.randomcutforest.config.TransformMethod;
import com.amazon.randomcutforest.parkservices.AnomalyDescriptor;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import io.vigil.avro.ModelRelease;
import io.vigil.models.data.ChannelData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AWS Random Cut Forest with its own streaming thresholder ({@link ThresholdedRandomCutForest}, the
 * library's answer to "is this point anomalous"), the reference Vigil's detectors are compared with. It
 * learns online from the whole replay (no separate training). Settings: shingles of 8 points, the
 * library's default forest (50 trees, 256 samples), values normalised, expected anomaly rate 0.5 %.
 *
 * <p>RCF flags points, not segments: a point is flagged when its anomaly grade is above 0, at the index
 * the descriptor names (it may point back into the shingle). Flags at most a shingle (8 points) apart
 * are one segment (one disturbance moves every shingle it is in), and single flagged points count, as
 * they are RCF's normal output.
 */
public final class RcfDetector implements Detector {

    static final int SHINGLE = 8;
    static final double ANOMALY_RATE = 0.005;
    private final long seed;

    public RcfDetector(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "rcf";
    }

    @Override
    public boolean needsModel() {
        return false;
    }

    @Override
    public Detection detect(ChannelData channel, ReplayStream stream, ModelRelease model) {
        ThresholdedRandomCutForest forest = ThresholdedRandomCutForest.builder()
                .dimensions(SHINGLE)
                .shingleSize(SHINGLE)
                .internalShinglingEnabled(true)
                .precision(Precision.FLOAT_32)
                .transformMethod(TransformMethod.NORMALIZE)
                .anomalyRate(ANOMALY_RATE)
                .randomSeed(seed)
                .build();
        int testSize = stream.testSize();
        double[] score = new double[testSize];
        double[] threshold = new double[testSize];
        double[] forecast = new double[testSize];
        Arrays.fill(forecast, Double.NaN);
        boolean[] flagged = new boolean[testSize];
        long started = System.nanoTime();
        for (int i = 0; i < stream.size(); i++) {
            if ((i & 1023) == 0 && Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException(channel.channelId() + ": evaluation interrupted");
            }
            AnomalyDescriptor d = forest.process(new double[] {stream.values()[i]}, stream.times()[i]);
            int at = i - stream.testOffset();
            if (at >= 0) {
                score[at] = d.getRCFScore();
                threshold[at] = d.getThreshold();
            }
            if (d.getAnomalyGrade() > 0) {
                int flaggedAt = at + d.getRelativeIndex();
                if (flaggedAt >= 0 && flaggedAt < testSize) {
                    flagged[flaggedAt] = true;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Detection(name(), "RCF", forecast, score, threshold, segments(flagged, SHINGLE),
                stream.size() / Math.max(seconds, 1e-9));
    }

    /** Runs of flagged points, joined where two flags are at most {@code join} indices apart. */
    static List<Segment> segments(boolean[] flagged, int join) {
        List<Segment> out = new ArrayList<>();
        int first = -1;
        int last = -1;
        for (int i = 0; i < flagged.length; i++) {
            if (!flagged[i]) {
                continue;
            }
            if (first >= 0 && i - last <= join) {
                last = i;
            } else {
                if (first >= 0) {
                    out.add(new Segment(first, last));
                }
                first = i;
                last = i;
            }
        }
        if (first >= 0) {
            out.add(new Segment(first, last));
        }
        return out;
    }
}
