package io.vigil.bridge.events;

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
                "x".repeat(PositionCodec.MAX_LENGTH + 1), "Af____________________8"}) {
            assertThrows(IllegalArgumentException.class, () -> PositionCodec.decode(bad), bad);
        }
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
