package io.vigil.bridge.kafka;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;

import java.time.Instant;

/** Test scores. */
final class Scores {

    static ChannelScore score(String channel, long eventTime, double threshold, Integer modelVersion) {
        return ChannelScore.newBuilder()
                .setChannelId(channel)
                .setSource("smap")
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setValue(0.25)
                .setForecast(0.5)
                .setError(0.25)
                .setSmoothedError(0.125)
                .setThreshold(threshold)
                .setAnomalous(false)
                .setDetector(modelVersion == null ? Detector.BASELINE : Detector.LSTM)
                .setModelVersion(modelVersion)
                .setScoredAt(Instant.ofEpochMilli(eventTime + 7))
                .build();
    }

    private Scores() {}
}
