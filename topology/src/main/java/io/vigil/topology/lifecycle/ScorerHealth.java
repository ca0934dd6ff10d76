package io.vigil.topology.lifecycle;

import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * What the scorer's probes answer. Live: the client has not failed and, once started, has a stream
 * thread that is not dead, so a supervisor restarts a scorer that can no longer process. Ready:
 * Kafka Streams is RUNNING, which it reaches only when every active task has restored its stores, so
 * a scorer still restoring (or rebalancing) takes no traffic and holds no autoscaler's attention.
 */
public final class ScorerHealth {

    /** A verdict and the reason a person reads. */
    public record Verdict(boolean ok, String reason) {}

    private final Supplier<KafkaStreams.State> state;
    private final Supplier<Set<ThreadMetadata>> threads;

    public ScorerHealth(Supplier<KafkaStreams.State> state, Supplier<Set<ThreadMetadata>> threads) {
        this.state = state;
        this.threads = threads;
    }

    public static ScorerHealth of(KafkaStreams streams) {
        return new ScorerHealth(streams::state, streams::metadataForLocalThreads);
    }

    public Verdict live() {
        KafkaStreams.State now = state.get();
        switch (now) {
            case ERROR, PENDING_ERROR, NOT_RUNNING, PENDING_SHUTDOWN:
                return new Verdict(false, "streams " + now);
            case CREATED:
                return new Verdict(true, "streams " + now);
            default:
                break;
        }
        long alive = threads.get().stream().filter(t -> !"DEAD".equals(t.threadState())
                && !"PENDING_SHUTDOWN".equals(t.threadState())).count();
        return alive > 0 ? new Verdict(true, "streams " + now + ", " + alive + " stream threads")
                : new Verdict(false, "streams " + now + ", no live stream thread");
    }

    public Verdict ready() {
        KafkaStreams.State now = state.get();
        return now == KafkaStreams.State.RUNNING ? new Verdict(true, "streams RUNNING, stores restored")
                : new Verdict(false, "streams " + now);
    }
}
