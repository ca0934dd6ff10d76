package io.vigil.replay.kafka;

import io.vigil.schemas.registry.RegistryException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Turns a failure of the infrastructure (broker, registry) into the one line an operator reads, and
 * tells it apart from a problem with the input data.
 */
public final class Failures {

    private Failures() {
    }

    /** Whether {@code e} is the broker's or the registry's failure rather than the input's. */
    public static boolean isInfrastructure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException || t instanceof KafkaException) {
                return true;
            }
        }
        return false;
    }

    /** One line saying what failed and where. */
    public static String describe(Throwable e, String bootstrapServers, String registryUrl) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException r) {
                return "schema registry " + registryUrl + " failed: " + firstLine(r.getMessage());
            }
        }
        if (e instanceof ConfigException) {
            return "bad Kafka or registry configuration: " + firstLine(e.getMessage());
        }
        Throwable kafka = e;
        while (kafka.getCause() instanceof KafkaException && kafka.getCause() != kafka) {
            kafka = kafka.getCause();
        }
        String hint = kafka instanceof TimeoutException
                ? " (is a broker listening there, and were Vigil's topics created?)" : "";
        return "Kafka at " + bootstrapServers + " failed: " + kafka.getClass().getSimpleName() + ": "
                + firstLine(kafka.getMessage()) + hint;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
