package io.vigil.schemas.serde;

import io.vigil.avro.TelemetryPoint;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Run in a fresh JVM by {@link AvroTrustTest} without {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}:
 * shows that plain Avro refuses to decode a TelemetryPoint there and that the serdes still work. Prints
 * one {@code key=value} line per finding; exit code 0 unless something unexpected was thrown.
 */
public final class TrustProbe {

    public static void main(String[] args) throws Exception {
        System.out.println("property=" + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"));
        Map<String, Object> config = Map.of("schema.registry.url", "mock://trust-probe");

        // Serializing first: it must not need any trust, and must not install any either.
        AvroSerializer<TelemetryPoint> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        byte[] bytes = serializer.serialize("telemetry", TestRecords.point());
        System.out.println("serialized=" + bytes.length);

        byte[] body = Arrays.copyOfRange(bytes, 5, bytes.length);
        try {
            new SpecificDatumReader<>(TelemetryPoint.class).read(null, DecoderFactory.get().binaryDecoder(body, null));
            System.out.println("plain=decoded");
        } catch (SecurityException e) {
            System.out.println("plain=SecurityException " + e.getMessage());
        }

        AvroDeserializer<TelemetryPoint> deserializer = new AvroDeserializer<>(TelemetryPoint.class);
        deserializer.configure(config, false);
        TelemetryPoint point = deserializer.deserialize("telemetry", bytes);
        System.out.println("serde=" + (TestRecords.point().equals(point) ? "equal" : "different: " + point));
    }
}
