package io.vigil.topology.lifecycle;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class ThreadReplacementsTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final ThreadReplacements policy = new ThreadReplacements(3, Duration.ofMinutes(10), clock::get);

    private static Throwable failureOf(int partition) {
        return new StreamsException(new IllegalStateException("boom"), new TaskId(0, partition));
    }

    @Test
    void aTaskThatKeepsFailingShutsTheClientDownOnItsThirdFailureWithinTheWindow() {
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(1)));
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(1)));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(failureOf(1)));
    }

    @Test
    void failuresOfDifferentTasksAreCountedApart() {
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(1)));
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(2)));
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(1)));
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(2)));
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(1)));
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(1)));
        clock.addAndGet(Duration.ofMinutes(10).toMillis());
        assertEquals(REPLACE_THREAD, policy.handle(failureOf(1)));
    }

    @Test
    void failuresNamingNoTaskAreCountedTogether() {
        assertEquals(ThreadReplacements.NO_TASK, ThreadReplacements.taskOf(new IllegalStateException()));
        assertEquals("0_4", ThreadReplacements.taskOf(new RuntimeException(failureOf(4))));
        assertEquals(REPLACE_THREAD, policy.handle(new IllegalStateException()));
        assertEquals(REPLACE_THREAD, policy.handle(new IllegalStateException()));
        assertEquals(SHUTDOWN_CLIENT, policy.handle(new IllegalStateException()));
    }
}
