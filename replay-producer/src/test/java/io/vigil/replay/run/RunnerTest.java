package io.vigil.replay.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.replay.event.RecordingSink;
import io.vigil.replay.schedule.ReplaySchedule;
import io.vigil.replay.source.Series;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerTest {

    private static final Series SERIES = new Series("a", "t", new long[] {0, 1000, 2000, 3000, 4000},
            new double[] {1, 2, 3, 4, 5}, List.of());

    private static RunSummary run(RecordingSink sink, double speed, RunLimits limits, StopSignal stop) {
        return new Runner(new ReplaySchedule(List.of(SERIES), new ReplaySchedule.Options(true, null,
                io.vigil.replay.schedule.StartOffset.NONE)), sink, new Pacer(speed), limits, new Progress("test", 0), stop).run();
    }

    @Test
    void stopsAtTheLimitOrAfterTheDurationOfEventTime() {
        RecordingSink limited = new RecordingSink();
        RunSummary s = run(limited, 0, new RunLimits(7, null), new StopSignal());
        assertEquals(RunSummary.Reason.LIMIT, s.reason());
        assertEquals(7, limited.points().size());

        RecordingSink timed = new RecordingSink();
        RunSummary t = run(timed, 0, new RunLimits(0, Duration.ofSeconds(9)), new StopSignal());
        assertEquals(RunSummary.Reason.DURATION, t.reason());
        // one lap is 5 s (4 s span + 1 s step): event times 0..9000 are played
        assertEquals(10, timed.points().size());
        assertEquals(9000, t.lastEventTime());
    }

    @Test
    void aStopRequestEndsAPacedRunPromptly() throws Exception {
        StopSignal stop = new StopSignal();
        RecordingSink sink = new RecordingSink();
        // Stopped while the runner waits for the second point, due 100 s after the first at 0.01x.
        Thread stopper = new Thread(() -> {
            try {
                if (sink.awaitFirstPoint(Duration.ofMinutes(1))) {
                    stop.request();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        long t0 = System.nanoTime();
        RunSummary s = run(sink, 0.01, RunLimits.none(), stop);
        stopper.join();
        assertEquals(RunSummary.Reason.STOPPED, s.reason());
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "the wait for the next point was not cut short");
        assertEquals(1, s.counts().points(), "only the point due at the start was sent");
    }

    @Test
    void pacerMapsEventTimeToWallTimeAtTheSpeedFactor() {
        Pacer pacer = new Pacer(10);
        pacer.start(5_000);
        // 1,500 ms of event time at 10x is due 150 ms after the start
        assertEquals(150_000_000L, pacer.dueNanos(6_500) - pacer.dueNanos(5_000));
        Pacer unpaced = new Pacer(0);
        unpaced.start(0);
        assertEquals(0, unpaced.await(Long.MAX_VALUE / 2, new StopSignal()));
    }
}
