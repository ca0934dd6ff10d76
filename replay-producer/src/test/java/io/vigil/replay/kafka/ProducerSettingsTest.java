package io.vigil.replay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.config.ClientSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    private static final ClientSettings LOCAL = ClientSettings.local("localhost:9092", "mock://p");

    @Test
    void aLongerLingerGivenByTheOperatorStillFitsTheDeliveryTimeout() {
        Map<String, Object> config = new ProducerSettings(LOCAL, Duration.ofSeconds(30), Duration.ofSeconds(15),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, "200")).toConfig();
        long delivery = Long.parseLong(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).toString());
        long linger = Long.parseLong(config.get(ProducerConfig.LINGER_MS_CONFIG).toString());
        long request = Long.parseLong(config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG).toString());
        assertEquals(200, linger);
        assertTrue(delivery >= linger + request, "Kafka's rule: " + delivery + " >= " + linger + " + " + request);
        // And Kafka agrees: the producer config is accepted.
        new ProducerConfig(withSerializers(config));
    }

    @Test
    void aRequestTimeoutTheOperatorChoseIsKept() {
        Map<String, Object> config = new ProducerSettings(LOCAL, Duration.ofSeconds(30), Duration.ofSeconds(15),
                Map.of(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000")).toConfig();
        assertEquals("5000", config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
    }

    private static Map<String, Object> withSerializers(Map<String, Object> config) {
        Map<String, Object> c = new java.util.HashMap<>(config);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return c;
    }
}
