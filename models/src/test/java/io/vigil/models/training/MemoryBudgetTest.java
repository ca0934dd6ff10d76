package io.vigil.models.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private static final long MIB = 1L << 20;

    @Test
    void poolIsBoundedByCoresMemoryAndChannels() {
        long perTask = MemoryBudget.DEFAULT_PER_TASK_BYTES;
        // The training job's pod: 2 GiB, heap 25 % = 512 MiB, 2 cores -> the cores bound.
        assertEquals(2, MemoryBudget.workers(perTask, 100, 2048 * MIB, 512 * MIB, 2));
        // 16 cores but 2 GiB: (2048 - 512 - 320) / 192 = 6 tasks.
        assertEquals(6, MemoryBudget.workers(perTask, 100, 2048 * MIB, 512 * MIB, 16));
        // Fewer channels than the budget allows.
        assertEquals(3, MemoryBudget.workers(perTask, 3, 64 * 1024 * MIB, 4096 * MIB, 16));
        // Not even one task fits: still one, it is the caller's limit that is wrong.
        assertEquals(1, MemoryBudget.workers(perTask, 10, 600 * MIB, 512 * MIB, 8));
    }

    @Test
    void readsThisProcesssMemory() {
        assertTrue(MemoryBudget.memoryLimitBytes() > 0);
        long rssBefore = MemoryBudget.currentRssBytes();
        assertTrue(rssBefore > 0, "Linux /proc/self/status");
        // Read after the current figure: resident memory can grow between two reads, the peak never falls.
        assertTrue(MemoryBudget.peakRssBytes() >= rssBefore);
    }
}
