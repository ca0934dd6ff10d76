package io.vigil.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.registry.MockSchemaRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.Test;

/**
 * Avro 1.12.2 reads {@code org.apache.avro.SERIALIZABLE_PACKAGES} once, in a static initializer, and
 * surefire sets it for this JVM; clearing it here would change nothing. So the "no property" case runs
 * in a child JVM ({@link TrustProbe}), and this JVM checks what was added to Avro's global predicate.
 */
class AvroTrustTest {

    @Test
    void configuringTrustsTheRecordsPackagesOnly() {
        ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        String scope = TestRecords.newScope();
        try {
            // Start from Avro's built-in list alone, as in a JVM without the system property.
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
            assertFalse(ClassSecurityValidator.getGlobal().isTrusted(ChannelScore.class));

            new AvroDeserializer<>(ChannelScore.class).configure(TestRecords.mockConfig(scope), false);

            ClassSecurityPredicate now = ClassSecurityValidator.getGlobal();
            assertTrue(now.isTrusted(ChannelScore.class));
            assertTrue(now.isTrusted(Detector.class), "enum referenced by the schema");
            assertTrue(now.isTrusted(String.class), "Avro's defaults are kept");
            assertFalse(now.isTrusted(File.class), "not everything");
            assertFalse(now.isTrusted(AvroTrustTest.class), "not the serde's own package");
        } finally {
            ClassSecurityValidator.setGlobal(before);
            MockSchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void aReplacedGlobalPredicateIsWrappedAgain() {
        ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        try {
            AvroTrust.trustPackagesOf(TelemetryPoint.class, TelemetryPoint.getClassSchema());
            ClassSecurityPredicate other = c -> c == File.class;
            ClassSecurityValidator.setGlobal(other);
            AvroTrust.trustPackagesOf(DeadLetterReason.class, DeadLetterReason.getClassSchema());
            assertTrue(ClassSecurityValidator.getGlobal().isTrusted(File.class), "someone else's trust is kept");
            assertTrue(ClassSecurityValidator.getGlobal().isTrusted(TelemetryPoint.class));
        } finally {
            ClassSecurityValidator.setGlobal(before);
        }
    }

    @Test
    void serdesWorkInAJvmWithoutTheSystemProperty() throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, TrustProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe finished");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("property=null"), output);
        assertTrue(output.contains("plain=SecurityException"), "plain Avro must refuse there, else the probe proves nothing:\n" + output);
        assertTrue(output.contains("serde=equal"), output);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("serialized=")), output);
        assertTrue(classpath.contains(File.pathSeparator) || classpath.endsWith(".jar"), classpath);
    }
}
