package io.vigil.bridge.events;

import io.vigil.bridge.testing.Allocation;
import io.vigil.bridge.testing.RawIds;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionCodecTest {

    @Test
    void roundTripsAndStaysCompactAndHeaderSafe() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            long[][] offsets = new long[EventType.count()][];
            for (int t = 0; t < offsets.length; t++) {
                offsets[t] = new long[random.nextInt(9)];
                long base = random.nextInt(3) == 0 ? Long.MAX_VALUE / 2 : random.nextInt(5_000_000);
                for (int p = 0; p < offsets[t].length; p++) {
                    offsets[t][p] = Math.max(0, base + random.nextInt(20_000) - 10_000);
                }
            }
            Position position = Position.of(offsets);
            String id = PositionCodec.encode(position);
            assertEquals(position, PositionCodec.decode(id));
            assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
        }
        long[][] typical = {
            {2_400_117, 2_398_506, 2_401_990, 2_399_004}, {1_210, 1_187, 1_305, 1_199}, {88}, {12, 9, 15, 11}};
        String id = PositionCodec.encode(Position.of(typical));
        assertTrue(id.length() <= 40, "four topics of four partitions: " + id.length() + " characters");
    }

    @Test
    void rejectsAnythingItDidNotWrite() {
        String good = PositionCodec.encode(Position.of(new long[][] {{5, 6}, {}, {1}, {}}));
        for (String bad : new String[] {"", "!!", "0-10", "AA", "AQ", good.substring(0, good.length() - 1),
                "x".repeat(PositionCodec.DEFAULT_MAX_LENGTH + 1), "Af____________________8"}) {
            assertThrows(IllegalArgumentException.class, () -> PositionCodec.decode(bad), bad);
        }
    }

    @Test
    void aResumeIdClaimingAMillionPartitionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PositionCodec.decode(RawIds.of(1_000_000, 0)));
        assertEquals("event id lists 1000000 partitions of one topic; at most 1024", e.getMessage());
    }

    @Test
    void aResumeIdClaimingMorePartitionsThanItHasBytesForIsRefusedBeforeAllocatingThem() {
        // Five characters each: what decoding costs must not depend on the count inside.
        String small = RawIds.of(1);
        String large = RawIds.of(1000);
        long baseline = Allocation.least(3, () -> PositionCodec.decode(small));
        long claimed = Allocation.least(3, () -> PositionCodec.decode(large));
        assertThrows(IllegalArgumentException.class, () -> PositionCodec.decode(large));
        assertTrue(claimed - baseline < 1000, "claiming 1000 partitions cost " + (claimed - baseline) + " bytes more");
    }

    @Test
    void aResumeIdWithANegativePartitionCountIsRefusedNotAnError() {
        // Ten varint bytes decode to -1 as a long: this was a NegativeArraySizeException, a 500.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PositionCodec.decode(RawIds.of(-1L)));
        assertEquals("event id lists 18446744073709551615 partitions of one topic; at most 1024", e.getMessage());
    }

    @Test
    void aNumberBeyondSixtyFourBitsIsRefusedRatherThanWrapped() {
        byte[] overflowing = {1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x7F, 0, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PositionCodec.decode(RawIds.base64(overflowing)));
        assertEquals("event id has a number beyond 64 bits", e.getMessage());
    }

    @Test
    void theLimitsAreTheConfiguredOnes() {
        PositionCodec.Limits tight = new PositionCodec.Limits(40, 2);
        String three = PositionCodec.encode(Position.of(new long[][] {{1, 2, 3}, {}, {}, {}}));
        assertEquals("event id lists 3 partitions of one topic; at most 2",
                assertThrows(IllegalArgumentException.class, () -> PositionCodec.decode(three, tight)).getMessage());
        assertEquals("event id longer than 40 characters", assertThrows(IllegalArgumentException.class,
                () -> PositionCodec.decode("A".repeat(41), tight)).getMessage());
        String two = PositionCodec.encode(Position.of(new long[][] {{1, 2}, {}, {}, {}}));
        assertEquals(2, PositionCodec.decode(two, tight).partitions(EventType.SCORE));
    }

    @Test
    void aPositionFromAClientIsClippedToTheBridgesPartitions() {
        Position bridge = Position.of(new long[][] {{10, 20}, {5}, {}, {}});
        Position client = Position.of(new long[][] {{1, 2, 3, 4}, {5}, {7, 7}, {}});
        assertEquals(Position.of(new long[][] {{1, 2}, {5}, {}, {}}), client.clippedTo(bridge));
        assertTrue(client.clippedTo(bridge).atOrBefore(bridge, Set.of(EventType.values())));
        assertFalse(client.atOrBefore(bridge, Set.of(EventType.SCORE)), "more partitions than the bridge has");
        assertFalse(Position.of(new long[][] {{11}, {}, {}, {}}).atOrBefore(bridge, Set.of(EventType.SCORE)),
                "ahead of the bridge");
        assertTrue(Position.of(new long[][] {{11}, {}, {}, {}}).atOrBefore(bridge, Set.of(EventType.ANOMALY)));
    }

    @Test
    void comparesOnlyThePartitionsOfTheGivenTypes() {
        Position frontier = Position.of(new long[][] {{10, 20}, {5}, {}, {}});
        Position client = Position.of(new long[][] {{10, 20}, {1}, {}, {}});
        assertTrue(client.atOrPast(frontier, Set.of(EventType.SCORE)));
        assertFalse(client.atOrPast(frontier, Set.of(EventType.SCORE, EventType.ANOMALY)));
        assertEquals(Position.of(new long[][] {{10, 20}, {5}, {}, {}}), client.max(frontier));
        assertEquals(0, frontier.next(EventType.LABEL, 3), "an unlisted partition starts at 0");
    }
}
