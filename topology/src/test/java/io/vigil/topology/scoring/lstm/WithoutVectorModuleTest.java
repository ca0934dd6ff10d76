package io.vigil.topology.scoring.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.topology.scoring.lstm.LstmParameters.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} must still score, with the scalar
 * pass, and must never load the Vector API class (loading it there would throw). Only a fresh JVM can
 * show this, as the test JVM has the module.
 */
class WithoutVectorModuleTest {

    /** Runs in the child JVM: prints the chosen pass, then a forecast. */
    public static void main(String[] args) {
        LstmForwardPass pass = LstmForwardPasses.best();
        System.out.println("available=" + LstmForwardPasses.vectorAvailable());
        System.out.println("pass=" + pass.getClass().getSimpleName());
        try {
            LstmForwardPasses.vector();
            System.out.println("vector=returned");
        } catch (UnsupportedOperationException expected) {
            System.out.println("vector=refused");
        }
        var a = TestNetworks.shape(2, 8);
        LstmParameters p = LstmParameters.fromFloats(a, TestNetworks.randomFlat(a, 1), Precision.FLOAT32);
        System.out.println("forecast=" + pass.step(p, LstmState.zero(a), 0.5f));
    }

    @Test
    void aJvmWithoutTheModuleUsesTheScalarPassAndNeverLoadsTheVectorOne() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1",
                "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                WithoutVectorModuleTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("pass=ScalarForwardPass"), out);
        assertTrue(out.contains("vector=refused"), out);
        assertTrue(out.contains("forecast="), out);
        assertFalse(out.contains("VectorForwardPass source"), "the vector pass class was loaded");
        assertFalse(out.contains("jdk.incubator.vector"), "a Vector API class was loaded");
    }
}
