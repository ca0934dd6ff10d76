package io.vigil.topology.intake;

import io.vigil.avro.TelemetryPoint;

/**
 * A decoded, validated telemetry point together with the bytes it arrived as, so a later stage can
 * still dead-letter it whole.
 */
public record ReceivedPoint(TelemetryPoint point, byte[] rawKey, byte[] rawValue) {}
