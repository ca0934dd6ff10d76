package io.vigil.topology.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a failed stream thread, but not for ever: when the same task has failed {@code maxFailures}
 * times within {@code window}, the failure is not going away (under exactly-once the task restarts
 * from the same committed offset and meets the same cause), so the client shuts down and the process
 * exits non-zero for its supervisor to see. A transient outage (a broker restart) costs a replacement
 * or two and is forgotten once the window has passed. A refusal by the cluster (authentication, or an
 * ACL the scorer lacks) shuts down at once: no replacement can change the cluster's answer.
 */
public final class ThreadReplacements implements StreamsUncaughtExceptionHandler {

    /** Failures that name no task are counted together under this name. */
    static final String NO_TASK = "none";

    private static final Logger log = LoggerFactory.getLogger(ThreadReplacements.class);

    private final int maxFailures;
    private final long windowMs;
    private final LongSupplier clockMs;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    public ThreadReplacements(int maxFailures, Duration window, LongSupplier clockMs) {
        if (maxFailures < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("thread replacements need maxFailures >= 1 and a positive window");
        }
        this.maxFailures = maxFailures;
        this.windowMs = window.toMillis();
        this.clockMs = clockMs;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        if (refusedByCluster(exception)) {
            log.atError().setCause(exception).setMessage("the cluster refused the scorer; shutting it down")
                    .addKeyValue("reason", exception.getMessage()).log();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        String task = taskOf(exception);
        long now = clockMs.getAsLong();
        Deque<Long> times = failures.computeIfAbsent(task, t -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
            times.removeFirst();
        }
        times.addLast(now);
        if (times.size() >= maxFailures) {
            log.atError().setCause(exception).setMessage("stream thread failed too often; shutting the scorer down")
                    .addKeyValue("task", task).addKeyValue("failures", times.size())
                    .addKeyValue("windowMs", windowMs).log();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.atError().setCause(exception).setMessage("stream thread failed; replacing it")
                .addKeyValue("task", task).addKeyValue("failures", times.size())
                .addKeyValue("allowed", maxFailures - 1).log();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    static boolean refusedByCluster(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    static String taskOf(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof StreamsException streams && streams.taskId().isPresent()) {
                return streams.taskId().get().toString();
            }
        }
        return NO_TASK;
    }
}
