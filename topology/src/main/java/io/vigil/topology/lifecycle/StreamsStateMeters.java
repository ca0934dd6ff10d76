package io.vigil.topology.lifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The Streams client's state and its stream threads' states as gauges, so an alert can say "no
 * stream thread RUNNING" or "the scorer is in ERROR" without parsing logs:
 * {@code vigil_streams_state{state="running"}} is 1 for the current state and 0 for the others, and
 * {@code vigil_streams_threads{state="running"}} counts the threads in each state.
 */
public final class StreamsStateMeters {

    private static final String[] THREAD_STATES =
            {"CREATED", "STARTING", "PARTITIONS_REVOKED", "PARTITIONS_ASSIGNED", "RUNNING", "PENDING_SHUTDOWN", "DEAD"};

    private StreamsStateMeters() {}

    public static void bind(KafkaStreams streams, MeterRegistry meters) {
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("vigil.streams.state", streams, s -> s.state() == state ? 1 : 0)
                    .description("1 for the Streams client's current state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT)).register(meters);
        }
        for (String state : THREAD_STATES) {
            Gauge.builder("vigil.streams.threads", streams, s -> threadsIn(s, state))
                    .description("stream threads of this instance in each state")
                    .tag("state", state.toLowerCase(Locale.ROOT)).register(meters);
        }
    }

    private static double threadsIn(KafkaStreams streams, String state) {
        try {
            return streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadState)
                    .filter(state::equals).count();
        } catch (IllegalStateException notRunning) {
            return 0;
        }
    }
}
