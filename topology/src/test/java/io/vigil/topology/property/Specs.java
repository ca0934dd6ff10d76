package io.vigil.topology.property;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.NodeState;
import io.vigil.avro.ScalingBounds;
import io.vigil.avro.TelemanomSettings;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.topology.release.ReleaseCheck;
import io.vigil.topology.scoring.TestModels;
import io.vigil.topology.scoring.lstm.LstmParameters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Descriptions of generated input records. Generators produce these (so jqwik shrinks descriptions,
 * and a counterexample reads as one), and {@link #encode} turns them into the bytes that are piped.
 */
final class Specs {

    private Specs() {}

    /** Sequence times of generated records start here: an hour before the driver's wall clock. */
    static final long SEQUENCE_START = Harness.WALL_CLOCK_START - 3_600_000L;

    // ------------------------------------------------------------------ keys

    enum KeyKind {
        /** The UTF-8 bytes of the record's own id: the one correct key. */
        ID,
        NONE,
        EMPTY,
        /** The UTF-8 bytes of another id. */
        OTHER,
        /** 20,000 bytes. */
        VERY_LONG,
        /** Bytes that are not UTF-8 at all. */
        INVALID_UTF8,
        /** The id's bytes with each U+FFFD replaced by the invalid byte 0xFF: decodes lossily to the id. */
        LOSSY_ID
    }

    record KeySpec(KeyKind kind, String other, byte[] invalid) {
        byte[] bytesFor(String id) {
            return switch (kind) {
                case ID -> utf8(id);
                case NONE -> null;
                case EMPTY -> new byte[0];
                case OTHER -> utf8(other);
                case VERY_LONG -> utf8("k".repeat(20_000));
                case INVALID_UTF8 -> invalid.clone();
                case LOSSY_ID -> lossy(id);
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case OTHER -> "key=OTHER('" + shorten(other) + "')";
                case INVALID_UTF8 -> "key=INVALID_UTF8(" + hex(invalid) + ")";
                default -> "key=" + kind;
            };
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] lossy(String id) {
        byte[] b = utf8(id);
        byte[] out = new byte[b.length];
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            if (i + 2 < b.length && (b[i] & 0xff) == 0xEF && (b[i + 1] & 0xff) == 0xBF && (b[i + 2] & 0xff) == 0xBD) {
                out[n++] = (byte) 0xFF;
                i += 2;
            } else {
                out[n++] = b[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    // ------------------------------------------------------------------ times

    enum TimeKind {
        /** {@link #SEQUENCE_START} + 1 s x the record's position + {@code value}: mostly increasing per id. */
        SEQUENCE,
        /** The driver's wall clock + {@code value}. */
        NEAR_NOW,
        /** {@code value} itself, anywhere in the long range. */
        ABSOLUTE
    }

    record TimeSpec(TimeKind kind, long value) {
        long at(int position) {
            return switch (kind) {
                case SEQUENCE -> SEQUENCE_START + 1000L * position + value;
                case NEAR_NOW -> Harness.WALL_CLOCK_START + value;
                case ABSOLUTE -> value;
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case SEQUENCE -> "t=SEQ" + (value == 0 ? "" : (value > 0 ? "+" : "") + value);
                case NEAR_NOW -> "t=NOW" + (value >= 0 ? "+" : "") + value;
                case ABSOLUTE -> "t=" + value + (value == Long.MAX_VALUE ? "(MAX)" : value == Long.MIN_VALUE ? "(MIN)" : "");
            };
        }
    }

    /**
     * The record timestamp a producer would give a record of event time {@code time}: the time itself
     * (as the replay producer does), except that a producer cannot send a negative timestamp, so those
     * records carry the wall clock.
     */
    static long recordTimestamp(long time) {
        return time >= 0 ? time : Harness.WALL_CLOCK_START;
    }

    // ------------------------------------------------------------------ damage to a valid encoding

    enum MutationKind {
        NONE,
        /** Keep the first {@code a} bytes (a below the length). */
        TRUNCATE,
        /** Append {@code a} bytes of value {@code b}. */
        APPEND,
        /** Flip bit {@code b % 8} of byte {@code a % length}. */
        FLIP,
        /** Replace the schema id by {@code a}. */
        SCHEMA_ID
    }

    record Mutation(MutationKind kind, int a, int b) {
        static final Mutation NONE = new Mutation(MutationKind.NONE, 0, 0);

        byte[] apply(byte[] encoded) {
            return switch (kind) {
                case NONE -> encoded;
                case TRUNCATE -> Arrays.copyOf(encoded, Math.floorMod(a, encoded.length));
                case APPEND -> {
                    byte[] out = Arrays.copyOf(encoded, encoded.length + Math.max(1, a));
                    Arrays.fill(out, encoded.length, out.length, (byte) b);
                    yield out;
                }
                case FLIP -> {
                    byte[] out = encoded.clone();
                    out[Math.floorMod(a, out.length)] ^= (byte) (1 << Math.floorMod(b, 8));
                    yield out;
                }
                case SCHEMA_ID -> {
                    byte[] out = encoded.clone();
                    ByteBuffer.wrap(out).putInt(1, a);
                    yield out;
                }
            };
        }

        @Override
        public String toString() {
            return kind == MutationKind.NONE ? "" : " mutated " + kind + "(" + a + "," + b + ")";
        }
    }

    // ------------------------------------------------------------------ raw bytes

    enum Header {
        /** The body as is. */
        NONE,
        /** A null value. */
        TOMBSTONE,
        /** Magic byte, then the id in {@code RawSpec.schemaId}, which the registry never issued. */
        UNKNOWN_ID,
        /** Magic byte and the id of the topic's own schema, then random Avro. */
        OWN_ID,
        /** Magic byte and the id of another type's schema (ChannelScore), then random Avro. */
        FOREIGN_ID
    }

    /** Bytes that are most likely no record at all. */
    record RawSpec(KeySpec key, Header header, int schemaId, byte[] body) {
        @Override
        public String toString() {
            return "Raw[" + key + " " + header + (header == Header.UNKNOWN_ID ? "(" + schemaId + ")" : "")
                    + (header == Header.TOMBSTONE ? "" : " body=" + hex(body)) + "]";
        }
    }

    // ------------------------------------------------------------------ telemetry

    sealed interface TelemetrySpec permits PointSpec, RawTelemetry {}

    record PointSpec(String channel, KeySpec key, TimeSpec time, double value, Mutation mutation)
            implements TelemetrySpec {
        @Override
        public String toString() {
            return "Point['" + shorten(channel) + "' " + key + " " + time + " v=" + describe(value) + mutation + "]";
        }
    }

    record RawTelemetry(RawSpec raw) implements TelemetrySpec {
        @Override
        public String toString() {
            return raw.toString();
        }
    }

    /** An input as piped: its bytes, and the point they decode to (null if they do not). */
    record Encoded(byte[] key, byte[] value, long timestamp) {}

    static Encoded encode(Harness h, TelemetrySpec spec, int position) {
        if (spec instanceof PointSpec p) {
            long time = p.time().at(position);
            TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(p.channel()).setSource("property")
                    .setEventTime(Instant.ofEpochMilli(time)).setValue(p.value()).build();
            byte[] value = p.mutation().apply(h.pointSerializer.serialize(Topics.TELEMETRY.name(), point));
            return new Encoded(p.key().bytesFor(p.channel()), value, recordTimestamp(time));
        }
        RawSpec raw = ((RawTelemetry) spec).raw();
        return new Encoded(raw.key().bytesFor("a"), rawValue(h, raw, ownTelemetryId(h)), Harness.WALL_CLOCK_START);
    }

    static int ownTelemetryId(Harness h) {
        return schemaIdOf(h.pointSerializer.serialize(Topics.TELEMETRY.name(), TelemetryPoint.newBuilder()
                .setChannelId("x").setEventTime(Instant.EPOCH).setValue(0).build()));
    }

    static int foreignId(Harness h) {
        ChannelScore score = ChannelScore.newBuilder().setChannelId("x").setSource("").setEventTime(Instant.EPOCH)
                .setValue(0).setForecast(0).setError(0).setSmoothedError(0).setThreshold(0).setAnomalous(false)
                .setDetector(Detector.BASELINE).setModelVersion(null).setScoredAt(Instant.EPOCH).build();
        return schemaIdOf(h.scoreSerializer.serialize(Topics.SCORES.name(), score));
    }

    static byte[] rawValue(Harness h, RawSpec raw, int ownId) {
        return switch (raw.header()) {
            case NONE -> raw.body().clone();
            case TOMBSTONE -> null;
            case UNKNOWN_ID -> framed(raw.schemaId(), raw.body());
            case OWN_ID -> framed(ownId, raw.body());
            case FOREIGN_ID -> framed(foreignId(h), raw.body());
        };
    }

    private static byte[] framed(int id, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
    }

    private static int schemaIdOf(byte[] encoded) {
        return ByteBuffer.wrap(encoded).getInt(1);
    }

    // ------------------------------------------------------------------ models

    enum Alias { CHAMPION, NULL, OTHER, CHAMPION_CAPITALISED }

    enum Weights {
        /** Xavier-like random weights in [-0.5, 0.5]. */
        RANDOM,
        /** A network that roughly forecasts "the next value equals this one". */
        PERSISTENCE,
        /** Every weight +-3e38, the edge of float32. */
        HUGE,
        /** Every weight +-1e4. */
        LARGE,
        /** Every weight the smallest subnormal float. */
        SUBNORMAL,
        ZERO,
        /** Random, with one NaN. */
        ONE_NAN,
        /** Random, with one +Infinity. */
        ONE_INFINITY
    }

    enum Checksum { VALID, UPPER_CASE, WRONG, EMPTY, NOT_HEX }

    record Shape(int inputSize, int layers, int units, int outputSize) {
        LstmArchitecture avro() {
            return LstmArchitecture.newBuilder().setInputSize(inputSize).setLayers(layers).setUnits(units)
                    .setOutputSize(outputSize).build();
        }

        @Override
        public String toString() {
            return inputSize + "->" + layers + "x" + units + "->" + outputSize;
        }
    }

    record Threshold(int batchSize, int windowSize, double smoothingPerc, int errorBuffer, double pruneP, int lS) {
        TelemanomSettings avro() {
            return TelemanomSettings.newBuilder().setBatchSize(batchSize).setWindowSize(windowSize)
                    .setSmoothingPerc(smoothingPerc).setErrorBuffer(errorBuffer).setPruneP(pruneP).setLS(lS).build();
        }

        @Override
        public String toString() {
            return "batch=" + batchSize + ",window=" + windowSize + ",smoothing=" + smoothingPerc + ",buffer="
                    + errorBuffer + ",pruneP=" + pruneP + ",lS=" + lS;
        }
    }

    /** A record of the models topic. */
    record ReleaseSpec(String channel, KeySpec key, int version, Alias alias, Shape shape, Weights weights,
                       int lengthDelta, double scaleMin, double scaleMax, Threshold settings, Checksum checksum,
                       long releasedAt, long seed, Mutation mutation, RawSpec raw) {

        /** The parameter bytes this release carries. */
        byte[] parameters() {
            long count;
            try {
                count = LstmParameters.parameterCount(shape.avro());
            } catch (IllegalArgumentException e) {
                count = -1;
            }
            if (count < 0 || count > 200_000) {
                // A shape no byte count fits (or too large to bother): a few bytes, always refused.
                return new byte[Math.floorMod(lengthDelta, 17)];
            }
            SplittableRandom random = new SplittableRandom(seed);
            float[] flat = new float[(int) count];
            switch (weights) {
                case RANDOM, ONE_NAN, ONE_INFINITY -> {
                    for (int i = 0; i < flat.length; i++) {
                        flat[i] = (float) (random.nextDouble() - 0.5);
                    }
                    if (weights != Weights.RANDOM && flat.length > 0) {
                        flat[random.nextInt(flat.length)] = weights == Weights.ONE_NAN ? Float.NaN : Float.POSITIVE_INFINITY;
                    }
                }
                case PERSISTENCE -> {
                    if (shape.inputSize() == 1) {
                        ByteBuffer.wrap(TestModels.persistenceParameters(shape.avro(), seed, 0.01))
                                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(flat);
                    }
                }
                case HUGE -> fill(flat, 3e38f, random);
                case LARGE -> fill(flat, 1e4f, random);
                case SUBNORMAL -> fill(flat, Float.MIN_VALUE, random);
                case ZERO -> { }
            }
            ByteBuffer out = ByteBuffer.allocate(flat.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            out.asFloatBuffer().put(flat);
            byte[] bytes = out.array();
            int length = Math.max(0, bytes.length + lengthDelta);
            return Arrays.copyOf(bytes, length);
        }

        private static void fill(float[] flat, float magnitude, SplittableRandom random) {
            for (int i = 0; i < flat.length; i++) {
                flat[i] = random.nextBoolean() ? magnitude : -magnitude;
            }
        }

        ModelRelease release() {
            byte[] parameters = parameters();
            String sum = ReleaseCheck.sha256Hex(parameters);
            String checksumText = switch (checksum) {
                case VALID -> sum;
                case UPPER_CASE -> sum.toUpperCase(Locale.ROOT);
                case WRONG -> ReleaseCheck.sha256Hex(Arrays.copyOf(parameters, parameters.length + 1));
                case EMPTY -> "";
                case NOT_HEX -> "zz" + sum.substring(2);
            };
            String aliasText = switch (alias) {
                case CHAMPION -> ReleaseCheck.CHAMPION;
                case NULL -> null;
                case OTHER -> "challenger";
                case CHAMPION_CAPITALISED -> "Champion";
            };
            return ModelRelease.newBuilder()
                    .setChannelId(channel)
                    .setVersion(version)
                    .setAlias(aliasText)
                    .setArchitecture(shape.avro())
                    .setParameters(ByteBuffer.wrap(parameters))
                    .setScaling(ScalingBounds.newBuilder().setMin(scaleMin).setMax(scaleMax).build())
                    .setSettings(settings.avro())
                    .setTrainingInfo(Map.of())
                    .setMetrics(Map.of())
                    .setChecksum(checksumText)
                    .setReleasedAt(Instant.ofEpochMilli(releasedAt))
                    .build();
        }

        @Override
        public String toString() {
            if (raw != null) {
                return "ModelRaw" + raw;
            }
            return "Release['" + shorten(channel) + "' " + key + " v" + version + " alias=" + alias + " shape=" + shape
                    + " weights=" + weights + (lengthDelta == 0 ? "" : " length" + (lengthDelta > 0 ? "+" : "")
                    + lengthDelta) + " scale=[" + scaleMin + "," + scaleMax + "] " + settings + " checksum=" + checksum
                    + " releasedAt=" + releasedAt + " seed=" + seed + mutation + "]";
        }
    }

    static Encoded encode(Harness h, ReleaseSpec spec) {
        if (spec.raw() != null) {
            int ownId = schemaIdOf(h.releaseSerializer.serialize(Topics.MODELS.name(), new ReleaseSpec("x",
                    new KeySpec(KeyKind.ID, null, null), 1, Alias.CHAMPION, new Shape(1, 1, 1, 1), Weights.ZERO, 0,
                    0, 1, new Threshold(10, 6, 0.05, 5, 0.13, 10), Checksum.VALID, 0, 0, Mutation.NONE, null)
                    .release()));
            return new Encoded(spec.raw().key().bytesFor(spec.channel()), rawValue(h, spec.raw(), ownId),
                    Harness.WALL_CLOCK_START);
        }
        byte[] value = spec.mutation().apply(h.releaseSerializer.serialize(Topics.MODELS.name(), spec.release()));
        return new Encoded(spec.key().bytesFor(spec.channel()), value, Harness.WALL_CLOCK_START);
    }

    // ------------------------------------------------------------------ heartbeats

    record BeatSpec(String node, KeySpec key, TimeSpec time, NodeState state, String target, Mutation mutation,
                    RawSpec raw) {
        @Override
        public String toString() {
            if (raw != null) {
                return "BeatRaw" + raw;
            }
            return "Beat['" + shorten(node) + "' " + key + " " + time + " " + state
                    + (target == null ? "" : " target='" + shorten(target) + "'") + mutation + "]";
        }
    }

    /** @param timestamp the record timestamp, or null for the one a producer would set for its time */
    static Encoded encode(Harness h, BeatSpec spec, int position, Long timestamp) {
        if (spec.raw() != null) {
            int ownId = schemaIdOf(h.heartbeatSerializer.serialize(Topics.HEARTBEATS.name(), Heartbeat.newBuilder()
                    .setNodeId("x").setTime(Instant.EPOCH).setState(NodeState.ONLINE).setTarget(null).build()));
            return new Encoded(spec.raw().key().bytesFor(spec.node()), rawValue(h, spec.raw(), ownId),
                    timestamp != null ? timestamp : Harness.WALL_CLOCK_START);
        }
        long time = spec.time().at(position);
        Heartbeat beat = Heartbeat.newBuilder().setNodeId(spec.node()).setTime(Instant.ofEpochMilli(time))
                .setState(spec.state()).setTarget(spec.target()).build();
        byte[] value = spec.mutation().apply(h.heartbeatSerializer.serialize(Topics.HEARTBEATS.name(), beat));
        return new Encoded(spec.key().bytesFor(spec.node()), value,
                timestamp != null ? timestamp : recordTimestamp(time));
    }

    // ------------------------------------------------------------------ formatting

    static String describe(double v) {
        if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0)) {
            return "-0.0";
        }
        if (v == Double.MAX_VALUE) {
            return "MAX_VALUE";
        }
        if (v == -Double.MAX_VALUE) {
            return "-MAX_VALUE";
        }
        if (v == Double.MIN_VALUE) {
            return "MIN_VALUE(4.9e-324)";
        }
        return Double.toString(v);
    }

    static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 24 ? s : s.substring(0, 10) + "...(" + s.length() + " chars)";
    }

    static String hex(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String h = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 24));
        return bytes.length <= 24 ? h : h + "...(" + bytes.length + " bytes)";
    }
}
