package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThresholdSettingsTest {

    @Test
    void defaultsAreTelemanomsConfiguration() {
        ThresholdSettings s = ThresholdSettings.DEFAULT;
        assertEquals(70, s.batchSize());
        assertEquals(30, s.windowSize());
        assertEquals(100, s.errorBuffer());
        assertEquals(0.13, s.pruneP());
        assertEquals(250, s.lS());
        assertEquals(2100, s.windowLength());
        // int(70 * 30 * 0.05) in Python is 105.
        assertEquals(105, s.smoothingSpan());
        assertEquals(500, s.startupIgnored());
    }

    @Test
    void rejectsSettingsItCannotHonour() {
        assertThrows(IllegalArgumentException.class, () -> new ThresholdSettings(0, 30, 0.05, 100, 0.13, 250));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdSettings(70, 30, 0.05, 100, 1.0, 250));
        assertThrows(IllegalArgumentException.class, () -> new ThresholdSettings(70, 30, 0.0001, 100, 0.13, 250));
        // 2 * lS must fit in the first window: 2 * 1100 > 2100.
        assertThrows(IllegalArgumentException.class, () -> new ThresholdSettings(70, 30, 0.05, 100, 0.13, 1100));
    }

    @Test
    void refusesAWindowWhoseStateNoScorerShouldAllocate() {
        // 2^31 - 1 batches of 46,341: the product overflows an int and would be a multi-gigabyte window.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ThresholdSettings(Integer.MAX_VALUE, 46_341, 0.05, 5, 0.13, 0));
        assertTrue(e.getMessage().contains("window length"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdSettings(70, ThresholdSettings.MAX_WINDOW_LENGTH / 70 + 1, 0.05, 100, 0.13, 250));
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdSettings(70, 30, 0.05, Integer.MAX_VALUE, 0.13, 250));
        assertEquals(ThresholdSettings.MAX_WINDOW_LENGTH,
                new ThresholdSettings(70, ThresholdSettings.MAX_WINDOW_LENGTH / 70, 0.05, 100, 0.13, 250).windowLength());
    }

    @Test
    void aRefusalNamesTheValuesGivenNotTheFieldsNotYetSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ThresholdSettings(70, 30, 0.05, 100, 1.5, 250));
        assertTrue(e.getMessage().contains("pruneP=1.5") && e.getMessage().contains("batchSize=70"), e.getMessage());
    }
}
