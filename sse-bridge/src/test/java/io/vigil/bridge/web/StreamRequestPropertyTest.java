package io.vigil.bridge.web;

import io.vigil.bridge.events.EventType;
import io.vigil.bridge.events.PositionCodec;
import io.vigil.bridge.testing.Allocation;
import io.vigil.bridge.testing.ClientInput;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code /events} requests as the parser sees them (Undertow's decoded query and the Last-Event-ID
 * header): any of them is a request within the configured limits or a {@link BadRequest} with a
 * reason, and parsing it costs in proportion to what was sent.
 */
class StreamRequestPropertyTest {

    /** Tight limits, so that random input reaches them. */
    static final WebSettings LIMITS = new WebSettings("127.0.0.1", 0, null, Set.of(), 5, 20,
            new PositionCodec.Limits(512, 16), WebSettings.DEFAULT_MAX_HEADER_BYTES);
    static final long BYTES_PER_CHARACTER = 48;
    static final long FIXED_BYTES = 32 * 1024;

    @Property(tries = 2000)
    void anyQueryAndLastEventIdIsARequestWithinTheLimitsOrABadRequestWithAReason(
            @ForAll("queries") Map<String, List<String>> query, @ForAll("lastEventIds") String header) {
        StreamRequest request;
        try {
            request = StreamRequest.parse(undertowStyle(query), header, LIMITS);
        } catch (BadRequest refused) {
            assertFalse(refused.getMessage() == null || refused.getMessage().isBlank(), "a reason");
            return;
        } catch (RuntimeException e) {
            fail("neither a request nor a 400: " + e, e);
            return;
        }
        assertFalse(request.filter().types().isEmpty());
        for (Set<String> values : List.of(request.filter().channels(), request.filter().sources())) {
            assertTrue(values.size() <= LIMITS.maxFilterValues());
            for (String value : values) {
                assertTrue(!value.isEmpty() && value.length() <= LIMITS.maxValueLength(), value);
                assertTrue(value.chars().noneMatch(Character::isISOControl), value);
            }
        }
        if (request.from() != null) {
            for (EventType type : EventType.values()) {
                assertTrue(request.from().partitions(type) <= LIMITS.ids().maxPartitions());
            }
        }
    }

    @Property(tries = 1000)
    void parsingCostsInProportionToWhatWasSent(@ForAll("queries") Map<String, List<String>> query,
                                               @ForAll("lastEventIds") String header) {
        Map<String, Deque<String>> parameters = undertowStyle(query);
        long cost = Allocation.least(2, () -> StreamRequest.parse(parameters, header, LIMITS));
        long sent = header == null ? 0 : header.length();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            sent += e.getKey().length();
            for (String value : e.getValue()) {
                sent += value.length();
            }
        }
        assertTrue(cost <= BYTES_PER_CHARACTER * sent + FIXED_BYTES, sent + " characters cost " + cost + " bytes");
    }

    @Provide
    static Arbitrary<Map<String, List<String>>> queries() {
        return Arbitraries.maps(ClientInput.names(), ClientInput.values().list().ofMinSize(1).ofMaxSize(4)).ofMaxSize(5);
    }

    @Provide
    static Arbitrary<String> lastEventIds() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", " ", "\t")),
                net.jqwik.api.Tuple.of(5, ClientInput.ids()));
    }

    /** As Undertow hands query parameters to handlers: a deque of values per name, in order. */
    private static Map<String, Deque<String>> undertowStyle(Map<String, List<String>> query) {
        Map<String, Deque<String>> parameters = new LinkedHashMap<>();
        query.forEach((name, values) -> parameters.put(name, new ArrayDeque<>(values)));
        return parameters;
    }
}
