package io.vigil.replay.simulate;

import io.vigil.replay.event.EventSink;

/** One member of a simulated fleet: a time-ordered stream of its own records, merged by {@link Fleet}. */
interface Member {

    void open(EventSink sink);

    /** Simulated time of the member's next step, or {@code EventSource.END}. */
    long nextTime();

    void emitNext(EventSink sink);
}
