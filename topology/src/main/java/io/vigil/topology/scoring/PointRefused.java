package io.vigil.topology.scoring;

import io.vigil.avro.DeadLetterReason;

/**
 * A point the channel's detector cannot take, found part-way through scoring it: the scorer drops
 * what the point changed and dead-letters it with this reason. Only the detector knows, e.g. whether
 * a value scales to a finite network input, which depends on the channel's model.
 */
final class PointRefused extends RuntimeException {

    private final DeadLetterReason reason;

    PointRefused(DeadLetterReason reason, String detail) {
        // No stack trace: this is an outcome of the input, not a fault of the code.
        super(detail, null, false, false);
        this.reason = reason;
    }

    DeadLetterReason reason() {
        return reason;
    }
}
