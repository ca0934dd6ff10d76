package io.vigil.schemas.serde;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.TelemetryPoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Sample records and per-test mock registry scopes. */
final class TestRecords {

    static final Instant T0 = Instant.parse("2024-03-01T12:00:00.123Z");

    private TestRecords() {
    }

    static String newScope() {
        return "test-" + UUID.randomUUID();
    }

    static Map<String, Object> mockConfig(String scope) {
        return Map.of("schema.registry.url", "mock://" + scope);
    }

    static TelemetryPoint point() {
        return TelemetryPoint.newBuilder().setChannelId("P-1").setSource("smap").setEventTime(T0).setValue(-0.75).build();
    }

    static ChannelScore score(Integer modelVersion) {
        return ChannelScore.newBuilder()
                .setChannelId("P-1").setSource("smap").setEventTime(T0).setValue(1.5).setForecast(1.25)
                .setError(0.25).setSmoothedError(0.2).setThreshold(0.5).setAnomalous(true)
                .setDetector(Detector.LSTM).setModelVersion(modelVersion).setScoredAt(T0.plusMillis(40))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setOriginTopic("telemetry").setOriginPartition(3).setOriginOffset(1234567890123L)
                .setReason(DeadLetterReason.UNKNOWN_SCHEMA).setDetail("schema id 99 is unknown")
                .setRawKey(ByteBuffer.wrap("P-1".getBytes(StandardCharsets.UTF_8)))
                .setRawValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 99, 1, 2}))
                .setFailedAt(T0)
                .build();
    }
}
