package io.vigil.topology.intake;

/**
 * A decoded, validated input record together with the bytes it arrived as, so a later stage can still
 * dead-letter it whole. {@code value} is null only for a tombstone passed on by an intake that keeps
 * them ({@link RecordIntake#keepingTombstones}).
 */
public record Received<T>(T value, byte[] rawKey, byte[] rawValue) {}
