package io.vigil.bridge.testing;

import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.PositionCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * What a client can send the bridge, for property tests: resume ids of every kind (valid, slightly
 * broken, made of huge numbers, random bytes, random or very long text) and filter values.
 */
public final class ClientInput {

    /** Counts and offsets a client might choose to see what the bridge does with them. */
    private static final List<Long> TELLING_NUMBERS = List.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE,
            (long) Integer.MAX_VALUE, 1L << 32, (1L << 32) + 3, 10_000L, 1_000_000L,
            (long) PositionCodec.DEFAULT_MAX_PARTITIONS, PositionCodec.DEFAULT_MAX_PARTITIONS + 1L, 0L, 1L, 2L);

    /** Every kind of id a client could send, valid ones among them. */
    public static Arbitrary<String> ids() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, validIds()),
                Tuple.of(3, mutatedIds()),
                Tuple.of(3, hugeNumbers()),
                Tuple.of(2, randomBytes()),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(200)),
                Tuple.of(1, Arbitraries.strings().withChars("AQ_-=Zz09+/").ofMaxLength(300)),
                Tuple.of(1, Arbitraries.strings().withChars("AQ_-").ofMinLength(3000).ofMaxLength(9000)));
    }

    public static Arbitrary<String> validIds() {
        return positions(12).map(PositionCodec::encode);
    }

    /** Positions of up to {@code maxPartitions} partitions per type, at small, large and extreme offsets. */
    public static Arbitrary<Position> positions(int maxPartitions) {
        Arbitrary<Long> offset = Arbitraries.oneOf(Arbitraries.longs().between(0, 5_000_000),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, Long.MAX_VALUE));
        return offset.array(long[].class).ofMaxSize(maxPartitions).array(long[][].class).ofSize(EventType.count())
                .map(Position::of);
    }

    /** A valid id with one slip: a character changed, dropped or added, the id cut short or doubled. */
    public static Arbitrary<String> mutatedIds() {
        Arbitrary<Character> anyChar = Arbitraries.oneOf(Arbitraries.chars().with("AQgw_-=/+!~"), Arbitraries.chars());
        return Combinators.combine(validIds(), Arbitraries.integers().between(0, 1000), anyChar,
                Arbitraries.integers().between(0, 4)).as((id, at, c, how) -> {
                    int i = at % (id.length() + 1);
                    return switch (how) {
                        case 0 -> i < id.length() ? id.substring(0, i) + c + id.substring(i + 1) : id + c;
                        case 1 -> i < id.length() ? id.substring(0, i) + id.substring(i + 1) : id;
                        case 2 -> id.substring(0, i) + c + id.substring(i);
                        case 3 -> id.substring(0, i);
                        default -> id + id.substring(i);
                    };
                });
    }

    /** Well-formed varints of counts and offsets a client chose: huge, negative as unsigned, at the limits. */
    public static Arbitrary<String> hugeNumbers() {
        Arbitrary<Long> number = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 20_000),
                Arbitraries.of(TELLING_NUMBERS));
        return number.list().ofMaxSize(40).map(numbers -> RawIds.of(numbers.stream().mapToLong(Long::longValue).toArray()));
    }

    /** Random bytes in base64url, half of them after the right version byte. */
    public static Arbitrary<String> randomBytes() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(bytes.map(RawIds::base64), bytes.map(b -> {
            byte[] versioned = new byte[b.length + 1];
            versioned[0] = RawIds.VERSION;
            System.arraycopy(b, 0, versioned, 1, b.length);
            return RawIds.base64(versioned);
        }));
    }

    /** Values of filter and other parameters: names of types, lists, control characters, long text. */
    public static Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("score", "anomaly", "node", "label", "SCORE", "Node", "score,node", "",
                        " ", ",", ",,,", "a, b ,c", "P-1", "smap", "\u0000", "\tscore\t", "1", "0", "-1", "100000",
                        "99999999999", "+5", "\u0665")),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(2, Arbitraries.strings().withChars("ab,  \t").ofMaxLength(300)),
                Tuple.of(1, Arbitraries.strings().withChars("x,").ofMinLength(1000).ofMaxLength(20_000)),
                Tuple.of(2, ids()));
    }

    /** Parameter names: the known ones, near misses and anything. */
    public static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("type", "channel", "source", "lastEventId")),
                Tuple.of(2, Arbitraries.of("limit", "access_token")),
                Tuple.of(1, Arbitraries.of("chanel", "Type", "lastEventID", "", "%", "a[]")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(60)));
    }

    private ClientInput() {}
}
