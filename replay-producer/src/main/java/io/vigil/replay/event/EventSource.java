package io.vigil.replay.event;

/**
 * A time-ordered producer of records: a replay of data sets or a simulated fleet.
 *
 * <p>Decides the order of records and their event times; the pace is the runner's business. A source
 * is pulled one step at a time ({@link #nextTime()}, then {@link #emitNext(EventSink)}), which keeps the
 * hot loop free of allocation and lets the runner stop between any two steps.
 */
public interface EventSource {

    /** {@link #nextTime()} of a source that has nothing more to emit. */
    long END = Long.MAX_VALUE;

    /** Event time at which this source's clock starts: the pace and {@code --duration} count from here. */
    long startTime();

    /** Declares the source's channels and nodes to the sink; called once, before anything else. */
    void open(EventSink sink);

    /** Event time of the next step, or {@link #END}. Never decreases. */
    long nextTime();

    /** Emits the next step's records (one point, or several records due at the same time). */
    void emitNext(EventSink sink);
}
