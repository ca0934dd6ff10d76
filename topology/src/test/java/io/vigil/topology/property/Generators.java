package io.vigil.topology.property;

import io.vigil.avro.NodeState;
import io.vigil.topology.property.Specs.Alias;
import io.vigil.topology.property.Specs.BeatSpec;
import io.vigil.topology.property.Specs.Checksum;
import io.vigil.topology.property.Specs.Header;
import io.vigil.topology.property.Specs.KeyKind;
import io.vigil.topology.property.Specs.KeySpec;
import io.vigil.topology.property.Specs.Mutation;
import io.vigil.topology.property.Specs.MutationKind;
import io.vigil.topology.property.Specs.PointSpec;
import io.vigil.topology.property.Specs.RawSpec;
import io.vigil.topology.property.Specs.RawTelemetry;
import io.vigil.topology.property.Specs.ReleaseSpec;
import io.vigil.topology.property.Specs.Shape;
import io.vigil.topology.property.Specs.TelemetrySpec;
import io.vigil.topology.property.Specs.Threshold;
import io.vigil.topology.property.Specs.TimeKind;
import io.vigil.topology.property.Specs.TimeSpec;
import io.vigil.topology.property.Specs.Weights;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of Vigil's inputs: garbage bytes, telemetry points in the registry wire format with
 * extreme values, times and keys, model releases of random shapes, weights and settings, heartbeats.
 * Each favours the ordinary case, so that state builds up and the extremes meet a warmed-up scorer.
 */
final class Generators {

    private Generators() {}

    /** The channel the isolation property watches; no generated record uses it as its id. */
    static final String HEALTHY = "healthy";

    private static final long DAY = 86_400_000L;
    private static final long YEAR = 365 * DAY;

    // ------------------------------------------------------------------ ids and keys

    /** Channel ids: ordinary, empty, non-ASCII, U+FFFD (lossy twin of invalid UTF-8), slashes, very long. */
    static Arbitrary<String> channelIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("a", "b", "c")),
                Tuple.of(1, Arbitraries.of("", "\uFFFD", "x\uFFFDy", "κανάλι-\uD83D\uDE80", "a/c0", "c".repeat(5000))));
    }

    static Arbitrary<String> nodeIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("n1", "n2", "n3")),
                Tuple.of(1, Arbitraries.of("", "\uFFFD", "nœud-\uD83D\uDE80", "n".repeat(5000))));
    }

    static Arbitrary<byte[]> invalidUtf8() {
        Arbitrary<byte[]> fixed = Arbitraries.of(
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xC0, (byte) 0x80},                        // overlong NUL
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},           // a lone surrogate
                new byte[] {'a', (byte) 0xFE},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82});                       // truncated sequence
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(b -> {
            byte[] out = Arrays.copyOf(b, b.length + 1);
            out[b.length] = (byte) 0xFF;
            return out;
        });
        return Arbitraries.oneOf(fixed, random);
    }

    /** Keys: mostly the record's own id; sometimes none, empty, another id, 20 KB, invalid UTF-8, a lossy twin. */
    static Arbitrary<KeySpec> keys(Arbitrary<String> otherIds) {
        return Arbitraries.frequencyOf(
                Tuple.of(28, Arbitraries.just(new KeySpec(KeyKind.ID, null, null))),
                Tuple.of(1, Arbitraries.just(new KeySpec(KeyKind.NONE, null, null))),
                Tuple.of(1, Arbitraries.just(new KeySpec(KeyKind.EMPTY, null, null))),
                Tuple.of(1, otherIds.map(id -> new KeySpec(KeyKind.OTHER, id, null))),
                Tuple.of(1, Arbitraries.just(new KeySpec(KeyKind.VERY_LONG, null, null))),
                Tuple.of(1, invalidUtf8().map(b -> new KeySpec(KeyKind.INVALID_UTF8, null, b))),
                Tuple.of(2, Arbitraries.just(new KeySpec(KeyKind.LOSSY_ID, null, null))));
    }

    // ------------------------------------------------------------------ times and values

    /** Event times: mostly a per-position sequence (with some jitter: out of order, duplicates), near now, the whole long range. */
    static Arbitrary<TimeSpec> times() {
        Arbitrary<Long> jitter = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(0L)),
                Tuple.of(2, Arbitraries.longs().between(-3_000, 3_000)),
                Tuple.of(1, Arbitraries.of(-1_000L, -2_000L)));          // the time of an earlier record: DUPLICATE
        Arbitrary<Long> nearNow = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, -1L, 60_000L, -60_000L, DAY, -DAY, YEAR, -YEAR, 100 * YEAR, -100 * YEAR),
                Arbitraries.longs().between(-10 * YEAR, 10 * YEAR));
        Arbitrary<Long> anywhere = Arbitraries.oneOf(
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
                        (long) Integer.MAX_VALUE, 253_402_300_799_999L /* 9999-12-31 */,
                        -62_135_596_800_000L /* year 1 */, Long.MAX_VALUE / 2, Long.MIN_VALUE / 2),
                Arbitraries.longs());
        return Arbitraries.frequencyOf(
                Tuple.of(10, jitter.map(v -> new TimeSpec(TimeKind.SEQUENCE, v))),
                Tuple.of(2, nearNow.map(v -> new TimeSpec(TimeKind.NEAR_NOW, v))),
                Tuple.of(3, anywhere.map(v -> new TimeSpec(TimeKind.ABSOLUTE, v))));
    }

    static Arbitrary<Double> ordinaryValues() {
        return Arbitraries.doubles().between(-1000, 1000).ofScale(3);
    }

    /** Finite extremes: the largest and smallest finite doubles, subnormals, signed zeros, huge and tiny. */
    static Arbitrary<Double> extremeValues() {
        return Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, -0.0, 0.0,
                Double.MIN_NORMAL, 1e308, -1e308, 1e300, -1e300, 1e-300, -1e-300, 1e-320 /* subnormal */,
                Math.nextDown(Double.MAX_VALUE), 1e154, -1e154, 3.4028235e38, 9.007199254740993e15);
    }

    /** Values: mostly ordinary, often extreme, sometimes any bit pattern, sometimes NaN or infinite. */
    static Arbitrary<Double> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, ordinaryValues()),
                Tuple.of(4, extremeValues()),
                Tuple.of(1, Arbitraries.longs().map(Double::longBitsToDouble)),
                Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    }

    // ------------------------------------------------------------------ bytes

    static Arbitrary<Mutation> mutations() {
        return Arbitraries.frequencyOf(
                Tuple.of(24, Arbitraries.just(Mutation.NONE)),
                Tuple.of(1, Arbitraries.integers().between(0, 60).map(n -> new Mutation(MutationKind.TRUNCATE, n, 0))),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(0, 255))
                        .as((n, b) -> new Mutation(MutationKind.APPEND, n, b))),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 80), Arbitraries.integers().between(0, 7))
                        .as((at, bit) -> new Mutation(MutationKind.FLIP, at, bit))),
                Tuple.of(1, Arbitraries.of(987_654, 0, -1, Integer.MAX_VALUE)
                        .map(id -> new Mutation(MutationKind.SCHEMA_ID, id, 0))));
    }

    static Arbitrary<byte[]> garbageBytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(48),
                Arbitraries.of(new byte[0], new byte[] {0}, new byte[] {0, 0, 0, 0}, new byte[] {0, 0, 0, 0, 1},
                        "definitely not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Raw values: random bytes, tombstones, unknown schema ids, the topic's own or a foreign schema id over random Avro. */
    static Arbitrary<RawSpec> raw(Arbitrary<String> ids) {
        Arbitrary<Header> headers = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Header.NONE)),
                Tuple.of(1, Arbitraries.just(Header.TOMBSTONE)),
                Tuple.of(1, Arbitraries.just(Header.UNKNOWN_ID)),
                Tuple.of(3, Arbitraries.just(Header.OWN_ID)),
                Tuple.of(1, Arbitraries.just(Header.FOREIGN_ID)));
        return Combinators.combine(keys(ids), headers, Arbitraries.of(987_654, 0, -1, 1_000, Integer.MIN_VALUE),
                        garbageBytes())
                .as(RawSpec::new);
    }

    // ------------------------------------------------------------------ telemetry

    static Arbitrary<PointSpec> points() {
        return Combinators.combine(channelIds(), keys(channelIds()), times(), values(), mutations())
                .as(PointSpec::new);
    }

    static Arbitrary<TelemetrySpec> telemetry() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, points()),
                Tuple.of(2, raw(channelIds()).map(RawTelemetry::new)));
    }

    // ------------------------------------------------------------------ models

    static Arbitrary<Shape> shapes() {
        Arbitrary<Shape> valid = Combinators.combine(Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 8))
                .as((layers, units) -> new Shape(1, layers, units, 1));
        Arbitrary<Shape> wild = Combinators.combine(
                        Arbitraries.of(1, 1, 1, 0, 2, -1),
                        Arbitraries.of(1, 2, 0, -1, 3, Integer.MAX_VALUE, 1 << 20),
                        Arbitraries.of(1, 4, 0, -1, 1 << 16, Integer.MAX_VALUE, 300),
                        Arbitraries.of(1, 1, 0, 2, 3, -1))
                .as(Shape::new);
        return Arbitraries.frequencyOf(Tuple.of(4, valid), Tuple.of(1, wild));
    }

    static Arbitrary<Threshold> thresholds() {
        Arbitrary<Threshold> small = Combinators.combine(
                        Arbitraries.integers().between(1, 6),
                        Arbitraries.integers().between(2, 4),
                        Arbitraries.of(0.05, 0.2, 0.5, 1.0),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.of(0.13, 0.5, 0.01, 0.99),
                        Arbitraries.integers().between(0, 3))
                .as(Threshold::new);
        Arbitrary<Threshold> wild = Combinators.combine(
                        Arbitraries.of(1, 10, 0, -1, 65_536, 46_341, Integer.MAX_VALUE),
                        Arbitraries.of(2, 6, 1, 0, -1, 65_536, 32_768, 46_341),
                        Arbitraries.of(0.05, Double.NaN, Double.POSITIVE_INFINITY, -1.0, 0.0, Double.MIN_VALUE, 1e9),
                        Arbitraries.of(5, 0, -1, Integer.MAX_VALUE),
                        Arbitraries.of(0.13, Double.NaN, 0.0, 1.0, 2.0, Double.MIN_VALUE),
                        Arbitraries.of(0, 10, -1, 1 << 30, Integer.MAX_VALUE))
                .as(Threshold::new);
        return Arbitraries.frequencyOf(Tuple.of(4, small), Tuple.of(1, wild));
    }

    /** Scaling bounds: ordinary, reversed, empty, non-finite, a range so wide or so narrow that scaling overflows. */
    static Arbitrary<double[]> scalings() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(new double[] {-1000, 1000}, new double[] {0, 1}, new double[] {-5, 50})),
                Tuple.of(1, Arbitraries.of(
                        new double[] {1, 0}, new double[] {3, 3}, new double[] {Double.NaN, 1},
                        new double[] {0, Double.POSITIVE_INFINITY}, new double[] {-Double.MAX_VALUE, Double.MAX_VALUE},
                        new double[] {0, Double.MIN_VALUE}, new double[] {-0.0, 0.0}, new double[] {1e300, 1e301},
                        new double[] {0, 1e-300})));
    }

    static Arbitrary<ReleaseSpec> releases(Arbitrary<String> channels) {
        Arbitrary<Weights> weights = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(Weights.RANDOM, Weights.PERSISTENCE)),
                Tuple.of(2, Arbitraries.of(Weights.HUGE, Weights.LARGE, Weights.SUBNORMAL, Weights.ZERO)),
                Tuple.of(1, Arbitraries.of(Weights.ONE_NAN, Weights.ONE_INFINITY)));
        Arbitrary<Integer> lengthDelta = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.of(-4, 4, -1, 1, -1_000_000)));
        Arbitrary<Checksum> checksums = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(Checksum.VALID)),
                Tuple.of(1, Arbitraries.of(Checksum.UPPER_CASE, Checksum.WRONG, Checksum.EMPTY, Checksum.NOT_HEX)));
        Arbitrary<Alias> aliases = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(Alias.CHAMPION)),
                Tuple.of(1, Arbitraries.of(Alias.NULL, Alias.OTHER, Alias.CHAMPION_CAPITALISED)));
        Arbitrary<Integer> versions = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(1, 5)),
                Tuple.of(1, Arbitraries.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE)));
        Arbitrary<Long> releasedAt = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Harness.WALL_CLOCK_START - DAY)),
                Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L)));
        Arbitrary<RawSpec> raw = raw(channels).injectNull(12.0 / 13);
        Arbitrary<Object[]> first = Combinators.combine(channels, keys(channels), versions, aliases, shapes(), weights,
                        lengthDelta, scalings())
                .as((c, k, v, a, s, w, l, b) -> new Object[] {c, k, v, a, s, w, l, b});
        Arbitrary<Object[]> second = Combinators.combine(thresholds(), checksums, releasedAt,
                        Arbitraries.longs().between(0, 1000), mutations(), raw)
                .as((t, ch, at, seed, m, r) -> new Object[] {t, ch, at, seed, m, r});
        return Combinators.combine(first, second).as((f, s) -> {
            double[] bounds = (double[]) f[7];
            return new ReleaseSpec((String) f[0], (KeySpec) f[1], (Integer) f[2], (Alias) f[3], (Shape) f[4],
                    (Weights) f[5], (Integer) f[6], bounds[0], bounds[1], (Threshold) s[0], (Checksum) s[1],
                    (Long) s[2], (Long) s[3], (Mutation) s[4], (RawSpec) s[5]);
        });
    }

    // ------------------------------------------------------------------ heartbeats

    static Arbitrary<BeatSpec> heartbeats(Arbitrary<String> nodes) {
        Arbitrary<String> targets = Arbitraries.of("M31", "", "t".repeat(3000), "\uFFFD").injectNull(0.8);
        Arbitrary<NodeState> states = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(NodeState.ONLINE)),
                Tuple.of(3, Arbitraries.of(NodeState.BUSY, NodeState.PARKED, NodeState.UNKNOWN)));
        Arbitrary<RawSpec> raw = raw(nodes).injectNull(8.0 / 9);
        return Combinators.combine(nodes, keys(nodes), times(), states, targets, mutations(), raw)
                .as(BeatSpec::new);
    }
}
