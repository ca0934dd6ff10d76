package io.vigil.topology.lifecycle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;

class ScorerHealthTest {

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final AtomicReference<Set<ThreadMetadata>> threads = new AtomicReference<>(Set.of());
    private final ScorerHealth health = new ScorerHealth(state::get, threads::get);

    @Test
    void aScorerIsReadyOnlyWhenRunning() {
        for (KafkaStreams.State s : KafkaStreams.State.values()) {
            state.set(s);
            threads.set(Set.of(thread("RUNNING")));
            assertTrue(health.ready().ok() == (s == KafkaStreams.State.RUNNING), s + ": " + health.ready());
        }
    }

    @Test
    void aScorerThatFailedOrStoppedIsNotLive() {
        threads.set(Set.of(thread("RUNNING")));
        for (KafkaStreams.State s : Set.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR,
                KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN)) {
            state.set(s);
            assertFalse(health.live().ok(), s.toString());
        }
        state.set(KafkaStreams.State.REBALANCING);
        assertTrue(health.live().ok(), "restoring is alive, just not ready");
    }

    @Test
    void aRunningScorerWithoutALiveStreamThreadIsNotLive() {
        state.set(KafkaStreams.State.RUNNING);
        threads.set(Set.of(thread("DEAD")));
        assertFalse(health.live().ok());
        threads.set(Set.of(thread("DEAD"), thread("RUNNING")));
        assertTrue(health.live().ok());
    }

    private static ThreadMetadata thread(String threadState) {
        return new ThreadMetadata() {
            @Override public String threadState() { return threadState; }
            @Override public String threadName() { return "t-" + threadState; }
            @Override public Set<TaskMetadata> activeTasks() { return Set.of(); }
            @Override public Set<TaskMetadata> standbyTasks() { return Set.of(); }
            @Override public String consumerClientId() { return "c"; }
            @Override public String restoreConsumerClientId() { return "r"; }
            @Override public Set<String> producerClientIds() { return Set.of(); }
            @Override public String adminClientId() { return "a"; }
        };
    }
}
