package io.vigil.replay.run;

import io.vigil.replay.event.SendCounts;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of a running replay: one line every {@code interval} with records sent and
 * acknowledged, the send rate since the last line, how far behind schedule the run is, and the event
 * time reached; and one summary line at the end.
 */
public final class Progress {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final long intervalNanos;
    private final String name;
    private long lastNanos;
    private long lastCount;
    private long nextNanos;

    public Progress(String name, long intervalNanos) {
        this.name = name;
        this.intervalNanos = intervalNanos;
    }

    void start(long nowNanos) {
        lastNanos = nowNanos;
        nextNanos = nowNanos + intervalNanos;
    }

    boolean due(long nowNanos) {
        return intervalNanos > 0 && nowNanos >= nextNanos;
    }

    /** @param lagMs current lag behind schedule, or -1 when the run is not paced */
    void report(long nowNanos, SendCounts counts, long lagMs, long eventTime) {
        double rate = (counts.total() - lastCount) * 1e9 / Math.max(1, nowNanos - lastNanos);
        log.atInfo().setMessage(name + " progress")
                .addKeyValue("sent", counts.total())
                .addKeyValue("acked", counts.acknowledged())
                .addKeyValue("ratePerSec", Math.round(rate))
                .addKeyValue("behindMs", lagMs < 0 ? "-" : Long.toString(lagMs))
                .addKeyValue("eventTime", Instant.ofEpochMilli(eventTime))
                .log();
        lastCount = counts.total();
        lastNanos = nowNanos;
        nextNanos = nowNanos + intervalNanos;
    }

    public void summary(RunSummary s) {
        log.atInfo().setMessage(name + " " + (s.reason() == RunSummary.Reason.FAILED ? "failed" : "done"))
                .addKeyValue("reason", s.reason())
                .addKeyValue("points", s.counts().points())
                .addKeyValue("labels", s.counts().labels())
                .addKeyValue("heartbeats", s.counts().heartbeats())
                .addKeyValue("acked", s.counts().acknowledged())
                .addKeyValue("seconds", String.format("%.1f", s.seconds()))
                .addKeyValue("ratePerSec", Math.round(s.ratePerSecond()))
                .addKeyValue("maxBehindMs", s.maxLagMs())
                .addKeyValue("lastEventTime", s.lastEventTime() == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(s.lastEventTime()))
                .log();
    }
}
