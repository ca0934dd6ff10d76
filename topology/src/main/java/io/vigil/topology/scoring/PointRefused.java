package io.vigil.topology.scoring;

import io.vigil.avro.DeadLetterReason;

/**
 * A point the channel's detector cannot take, found part-way through scoring it: the scorer drops
 * what the point changed and dead-letters it with this reason. Only the detector knows, e.g. whether
 * a value scales to a finite network input, which depends on the channel's model.
 */
public final class PointRefused extends RuntimeException {

    private final DeadLetterReason reason;
    private final boolean changedNothing;

    PointRefused(DeadLetterReason reason, String detail) {
        this(reason, detail, false);
    }

    private PointRefused(DeadLetterReason reason, String detail, boolean changedNothing) {
        // No stack trace: this is an outcome of the input, not a fault of the code.
        super(detail, null, false, false);
        this.reason = reason;
        this.changedNothing = changedNothing;
    }

    /** A refusal found before the channel's state was touched, which stays usable. */
    static PointRefused beforeAnyChange(DeadLetterReason reason, String detail) {
        return new PointRefused(reason, detail, true);
    }

    /** Whether the channel's in-memory state is as it was before the point. */
    boolean changedNothing() {
        return changedNothing;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
