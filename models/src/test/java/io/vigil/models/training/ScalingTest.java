package io.vigil.models.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.avro.ScalingBounds;
import org.junit.jupiter.api.Test;

class ScalingTest {

    @Test
    void mapsTheTrainingRangeToMinusOneToOneWithoutClipping() {
        ScalingBounds b = Scaling.fit(new double[] {10, 30, 20});
        assertEquals(10, b.getMin());
        assertEquals(30, b.getMax());
        assertEquals(-1, Scaling.scale(b, 10), 1e-12);
        assertEquals(1, Scaling.scale(b, 30), 1e-12);
        assertEquals(0, Scaling.scale(b, 20), 1e-12);
        assertEquals(3, Scaling.scale(b, 50), 1e-12, "a value beyond the training range maps beyond 1");
        assertEquals(42, Scaling.unscale(b, Scaling.scale(b, 42)), 1e-9);
        float[] applied = Scaling.apply(b, new double[] {10, 25});
        assertEquals(-1f, applied[0]);
        assertEquals(0.5f, applied[1]);
    }

    @Test
    void aConstantSeriesGetsAUnitRangeAroundItsValue() {
        ScalingBounds b = Scaling.fit(new double[] {7, 7, 7});
        assertEquals(6, b.getMin());
        assertEquals(8, b.getMax());
        assertEquals(0, Scaling.scale(b, 7), 1e-12);
    }

    @Test
    void refusesEmptyOrNonFiniteTrainingData() {
        assertThrows(IllegalArgumentException.class, () -> Scaling.fit(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Scaling.fit(new double[] {1, Double.NaN}));
    }
}
