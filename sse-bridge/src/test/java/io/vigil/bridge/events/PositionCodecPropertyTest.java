package io.vigil.bridge.events;

import io.vigil.bridge.testing.Allocation;
import io.vigil.bridge.testing.ClientInput;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whatever a client sends as a resume id, decoding it either gives a position within the limits or is
 * refused with a reason, and costs in proportion to the id's (bounded) length, never to a number in it.
 */
class PositionCodecPropertyTest {

    static final PositionCodec.Limits LIMITS = PositionCodec.Limits.DEFAULT;
    /** Base64 input and output, the offsets and their copy in the position: ~14 bytes a character. */
    static final long BYTES_PER_CHARACTER = 32;
    /** A refusal's exception and message, and what a call costs whatever its input. */
    static final long FIXED_BYTES = 16 * 1024;

    @Property(tries = 2000)
    void anyIdDecodesWithinTheLimitsOrIsRefusedWithAReason(@ForAll("ids") String id) {
        Position position;
        try {
            position = PositionCodec.decode(id, LIMITS);
        } catch (IllegalArgumentException refused) {
            assertFalse(refused.getMessage() == null || refused.getMessage().isBlank(), "a reason");
            return;
        } catch (RuntimeException e) {
            fail("neither a position nor a refusal: " + e, e);
            return;
        }
        for (EventType type : EventType.values()) {
            assertTrue(position.partitions(type) <= LIMITS.maxPartitions());
        }
        assertEquals(position, PositionCodec.decode(PositionCodec.encode(position), LIMITS), "what it means survives");
    }

    @Property(tries = 2000)
    void decodingCostsInProportionToTheIdsLengthNotToTheNumbersInIt(@ForAll("ids") String id) {
        long cost = Allocation.least(2, () -> PositionCodec.decode(id, LIMITS));
        long bound = BYTES_PER_CHARACTER * Math.min(id.length(), LIMITS.maxLength()) + FIXED_BYTES;
        assertTrue(cost <= bound, "an id of " + id.length() + " characters cost " + cost + " bytes");
    }

    @Provide
    static Arbitrary<String> ids() {
        return ClientInput.ids();
    }
}
