package io.vigil.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.config.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TopologyConfigTest {

    @Test
    void theScorerRunsExactlyOnceWithKafkasRecordCacheByDefault() {
        Properties p = TopologyConfig.from(Settings.of(Map.of())).streamsProperties();
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(100L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(10L << 20, p.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals("vigil-scorer", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Test
    void settingsReachKafkaStreams() {
        Properties p = TopologyConfig.from(Settings.of(Map.of(
                "vigil.store.cache.bytes", "0",
                "vigil.commit.interval.ms", "250",
                "vigil.stream.threads", "3"))).streamsProperties();
        assertEquals(0L, p.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals(250L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(3, p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    }
}
