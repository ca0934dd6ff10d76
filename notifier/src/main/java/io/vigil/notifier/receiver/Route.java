package io.vigil.notifier.receiver;

import io.vigil.notifier.alert.Transition;

import java.util.Set;

/**
 * Which transitions a receiver gets: of these kinds ({@code anomaly}, {@code node}), of channels or
 * nodes whose id starts with {@code prefix}, and segments that open with at least {@code minSeverity}
 * (nodes have no severity and pass it). Every close of a matching channel is sent, whatever its
 * severity: which opens were announced is not kept across restarts, and an alert left firing for
 * want of its close is worse than a close of one never announced, which receivers ignore.
 */
public record Route(Set<Transition.Kind> kinds, String prefix, double minSeverity) {

    public static final Route ALL = new Route(Set.of(Transition.Kind.values()), "", 0.0);

    public Route {
        kinds = Set.copyOf(kinds);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one kind");
        }
        prefix = prefix == null ? "" : prefix;
        if (!(minSeverity >= 0)) {
            throw new IllegalArgumentException("minimum severity must be 0 or more, was " + minSeverity);
        }
    }

    /** Whether {@code t} goes to the receiver. */
    public boolean matches(Transition t) {
        if (!kinds.contains(t.kind()) || !t.subject().startsWith(prefix)) {
            return false;
        }
        return t.kind() != Transition.Kind.ANOMALY || !t.firing() || t.severity() >= minSeverity;
    }
}
