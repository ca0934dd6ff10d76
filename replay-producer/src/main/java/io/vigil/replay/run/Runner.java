package io.vigil.replay.run;

import io.vigil.replay.event.EventSource;
import io.vigil.replay.event.Publisher;
import io.vigil.replay.event.SendCounts;

/**
 * Drives a source into a publisher: one step at a time, each when the pacer says it is due, until the
 * data ends, a limit is reached, a stop is requested or delivery fails. Then it flushes, so the summary
 * counts what the broker acknowledged.
 *
 * <p>The loop is kept cheap for as-fast-as-possible runs: no allocation, and the clock is read for the
 * progress line only every {@value #CLOCK_EVERY} steps when unpaced.
 */
public final class Runner {

    private static final int CLOCK_EVERY = 1024;

    private final EventSource source;
    private final Publisher publisher;
    private final Pacer pacer;
    private final RunLimits limits;
    private final Progress progress;
    private final StopSignal stop;

    public Runner(EventSource source, Publisher publisher, Pacer pacer, RunLimits limits, Progress progress,
            StopSignal stop) {
        this.source = source;
        this.publisher = publisher;
        this.pacer = pacer;
        this.limits = limits;
        this.progress = progress;
        this.stop = stop;
    }

    public RunSummary run() {
        stop.runOn(Thread.currentThread());
        long started = System.nanoTime();
        SendCounts before = publisher.counts();
        long pointsBefore = publisher.pointsSent();
        source.open(publisher);
        long startTime = source.startTime();
        long endTime = limits.endTime(startTime);
        pacer.start(startTime);
        progress.start(started);
        long maxLag = 0;
        long lastEventTime = Long.MIN_VALUE;
        long steps = 0;
        RunSummary.Reason reason;
        while (true) {
            if (stop.requested()) {
                reason = RunSummary.Reason.STOPPED;
                break;
            }
            if (publisher.failure() != null) {
                reason = RunSummary.Reason.FAILED;
                break;
            }
            long t = source.nextTime();
            if (t == EventSource.END) {
                reason = RunSummary.Reason.END_OF_DATA;
                break;
            }
            if (t > endTime) {
                reason = RunSummary.Reason.DURATION;
                break;
            }
            if (limits.maxPoints() > 0 && publisher.pointsSent() - pointsBefore >= limits.maxPoints()) {
                reason = RunSummary.Reason.LIMIT;
                break;
            }
            long lag = pacer.await(t, stop);
            if (stop.requested()) {
                continue;
            }
            source.emitNext(publisher);
            lastEventTime = t;
            maxLag = Math.max(maxLag, lag);
            if (pacer.paced() || (++steps & (CLOCK_EVERY - 1)) == 0) {
                long now = System.nanoTime();
                if (progress.due(now)) {
                    progress.report(now, publisher.counts().since(before), pacer.paced() ? lag / 1_000_000 : -1, t);
                }
            }
        }
        publisher.flush();
        if (publisher.failure() != null) {
            reason = RunSummary.Reason.FAILED;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new RunSummary(reason, publisher.counts().since(before), seconds, maxLag / 1_000_000, lastEventTime, publisher.failure());
    }
}
