package io.vigil.replay.run;

import java.util.concurrent.locks.LockSupport;

/**
 * A request to stop a run between two steps (Ctrl-C). Interrupting the running thread instead could
 * land inside {@code KafkaProducer.send} and lose the record being sent; a flag cannot.
 */
public final class StopSignal {

    private volatile boolean requested;
    private volatile Thread runner;

    /** Records the thread that runs, so a request can wake it from a paced wait. */
    void runOn(Thread thread) {
        runner = thread;
    }

    public void request() {
        requested = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public boolean requested() {
        return requested;
    }
}
