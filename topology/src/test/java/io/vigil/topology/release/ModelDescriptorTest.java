package io.vigil.topology.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.drift.DriftReference;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDescriptorTest {

    private static final ThresholdSettings SETTINGS = new ThresholdSettings(10, 6, 0.05, 5, 0.13, 10);

    @Test
    void aDescriptorWithInputsReadsBackEqual() {
        LstmArchitecture a = new LstmArchitecture(3, 2, 16, 1);
        ModelDescriptor d = new ModelDescriptor(4, "ab12", a, new ScaleRange(-2, 5),
                List.of(new ScaleRange(0, 1), new ScaleRange(-10, 30)), SETTINGS, 1_700_000_000_000L,
                new DriftReference(new float[] {-1, -0.25f, -0.25f, 0.5f, 1}));
        assertEquals(d, ModelDescriptor.fromBytes(d.toBytes()));
        ModelDescriptor alone = new ModelDescriptor(1, "cd", new LstmArchitecture(1, 2, 16, 1), new ScaleRange(0, 1),
                List.of(), SETTINGS, 0, null);
        assertEquals(alone, ModelDescriptor.fromBytes(alone.toBytes()));
    }

    /** Stores written before models took inputs hold version 1: a restored scorer still reads them. */
    @Test
    void aVersionOneDescriptorReadsAsAModelWithoutInputs() {
        byte[] sum = "ab12".getBytes(StandardCharsets.UTF_8);
        byte[] v1 = ByteBuffer.allocate(1 + 4 + 4 + sum.length + 16 + 16 + 16 + 16 + 8)
                .put((byte) 1).putInt(4).putInt(sum.length).put(sum)
                .putInt(1).putInt(2).putInt(16).putInt(1)
                .putDouble(-2).putDouble(5)
                .putInt(10).putInt(6).putInt(5).putInt(10)
                .putDouble(0.05).putDouble(0.13)
                .putLong(42)
                .array();
        ModelDescriptor d = ModelDescriptor.fromBytes(v1);
        assertEquals(new ModelDescriptor(4, "ab12", new LstmArchitecture(1, 2, 16, 1), new ScaleRange(-2, 5), List.of(),
                SETTINGS, 42, null), d);
    }

    /**
     * A descriptor without a sketch is written as version 2, the form stores held before drift and a
     * scorer rolled back reads; one with a sketch is version 3, its quantiles after the inputs.
     */
    @Test
    void aDescriptorWithoutASketchIsVersionTwoAndOneWithASketchAddsItsQuantiles() {
        ModelDescriptor plain = new ModelDescriptor(4, "ab12", new LstmArchitecture(2, 2, 16, 1), new ScaleRange(-2, 5),
                List.of(new ScaleRange(0, 1)), SETTINGS, 42, null);
        ModelDescriptor sketched = new ModelDescriptor(4, "ab12", new LstmArchitecture(2, 2, 16, 1),
                new ScaleRange(-2, 5), List.of(new ScaleRange(0, 1)), SETTINGS, 42, new DriftReference(new float[] {0, 1, 2}));
        byte[] v2 = plain.toBytes();
        byte[] v3 = sketched.toBytes();
        assertEquals(2, v2[0]);
        assertEquals(3, v3[0]);
        assertEquals(v2.length + 4 + 3 * 4, v3.length);
        assertArrayEquals(Arrays.copyOfRange(v2, 1, v2.length), Arrays.copyOfRange(v3, 1, v2.length),
                "version 3 is version 2's fields, then the sketch");
        assertEquals(plain, ModelDescriptor.fromBytes(v2));
    }

    @Test
    void truncatedOrPaddedBytesAreRefused() {
        ModelDescriptor d = new ModelDescriptor(4, "ab12", new LstmArchitecture(2, 2, 16, 1), new ScaleRange(-2, 5),
                List.of(new ScaleRange(0, 1)), SETTINGS, 0, new DriftReference(new float[] {0, 1}));
        byte[] bytes = d.toBytes();
        assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)));
        byte[] otherFormat = bytes.clone();
        otherFormat[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.fromBytes(otherFormat));
    }
}
