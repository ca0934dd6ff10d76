package io.vigil.models.evaluation;

import java.util.List;

/**
 * What a detector said about one channel's test series. Arrays are indexed like the test series; a
 * detector without a notion leaves NaN.
 *
 * @param detector the detector's name in the report
 * @param model what scored it, e.g. {@code LSTM v3} or {@code BASELINE}
 * @param forecast the forecast of each point (value units)
 * @param score what the detector thresholds: the smoothed error (LSTM, baseline) or RCF's score
 * @param threshold the threshold in force at each point
 * @param segments predicted anomalies, sorted and disjoint
 * @param pointsPerSecond the whole replay's points (warm-up included) per second of detector time
 */
public record Detection(String detector, String model, double[] forecast, double[] score, double[] threshold,
        List<Segment> segments, double pointsPerSecond) {

    public Detection {
        segments = List.copyOf(segments);
    }
}
