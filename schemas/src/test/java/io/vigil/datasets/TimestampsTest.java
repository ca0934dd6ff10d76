package io.vigil.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final long T = 1_397_114_100_000L; // 2014-04-10T07:15:00Z

    @Test
    void everySpellingOfOneInstantReadsTheSame() {
        assertEquals(T, Timestamps.parse("2014-04-10 07:15:00"));          // NAB series
        assertEquals(T, Timestamps.parse("2014-04-10 07:15:00.000000"));   // NAB label windows
        assertEquals(T, Timestamps.parse("2014-04-10T07:15:00"));
        assertEquals(T, Timestamps.parse("2014-04-10T07:15:00Z"));
        assertEquals(T, Timestamps.parse("2014-04-10T09:15:00+02:00"));
        assertEquals(T, Timestamps.parse(" 1397114100000 "));
        assertEquals(T + 250, Timestamps.parse("2014-04-10 07:15:00.25"));
        assertEquals("2014-04-10T07:15:00Z", Timestamps.format(T));
    }

    @Test
    void anythingElseIsRefusedWithTheFormsThatWork() {
        for (String bad : new String[] {"yesterday", "2014-04-10", "10/04/2014 07:15", "99999999999999999999", ""}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Timestamps.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("unreadable timestamp '" + bad + "' (expected"), e.getMessage());
        }
    }
}
