package io.vigil.bridge.events;

import java.time.Duration;

/**
 * The fan-out limits: a client may fall {@code queueSize} events behind before its oldest unread ones
 * are dropped,
 * {@code historySize} recent events kept for resumes, a keep-alive comment after {@code keepAlive}
 * without traffic, a client closed when its socket took nothing for {@code stallTimeout}, and at most
 * {@code maxClients} open streams.
 */
public record HubSettings(int queueSize, int historySize, Duration keepAlive, Duration stallTimeout, int maxClients) {

    public HubSettings {
        if (queueSize < 1 || historySize < 0 || maxClients < 1) {
            throw new IllegalArgumentException("queue " + queueSize + ", history " + historySize
                    + ", max clients " + maxClients);
        }
        if (keepAlive.isNegative() || keepAlive.isZero() || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("keep-alive and stall timeout must be positive");
        }
    }
}
