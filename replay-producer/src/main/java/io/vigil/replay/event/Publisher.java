package io.vigil.replay.event;

/**
 * An {@link EventSink} that delivers somewhere asynchronously and can fail: the runner polls
 * {@link #failure()} between steps instead of catching exceptions from a background thread.
 */
public interface Publisher extends EventSink {

    SendCounts counts();

    /** Points sent so far; cheap enough to ask on every step. */
    long pointsSent();

    /** The first delivery failure, or null while everything went through. */
    Throwable failure();

    /** Waits until everything sent so far is acknowledged or has failed. */
    void flush();
}
