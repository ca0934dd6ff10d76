package io.vigil.bridge.web;

import io.vigil.bridge.events.Position;
import io.vigil.bridge.events.SseClient;

/** Takes a freshly opened stream from here (the bridge's {@link io.vigil.bridge.resume.Resumer}). */
@FunctionalInterface
public interface StreamConnector {

    /** {@code from}: where the client resumes, or null for a fresh stream. */
    void connect(SseClient client, Position from);
}
