package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EwmaTest {

    @Test
    void matchesAdjustedWeightsByHand() {
        // span 3: alpha 0.5, weights 1, 0.5, 0.25 for the newest, previous, oldest value.
        // pandas: pd.Series([1, 2, 3]).ewm(span=3).mean() = [1, 5/3, 17/7]
        double[] s = Ewma.smooth(new double[] {1, 2, 3}, 3);
        assertArrayEquals(new double[] {1.0, (2 + 0.5 * 1) / 1.5, (3 + 0.5 * 2 + 0.25 * 1) / 1.75}, s, 1e-15);
        assertEquals(17.0 / 7.0, s[2], 1e-15);
    }

    @Test
    void span105IsTheWeightedMeanOfEverythingSeen() {
        // Written out as the definition: y_t = sum_k w^k x_(t-k) / sum_k w^k with w = 1 - 2/106.
        double w = 1 - 2.0 / 106;
        double[] x = new double[300];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) * 0.3 + (i == 150 ? 5 : 0);
        }
        double[] s = Ewma.smooth(x, 105);
        for (int t : new int[] {0, 1, 2, 104, 150, 151, 299}) {
            double num = 0;
            double den = 0;
            for (int k = 0; k <= t; k++) {
                num += Math.pow(w, k) * x[t - k];
                den += Math.pow(w, k);
            }
            assertEquals(num / den, s[t], 1e-12, "t=" + t);
        }
    }

    @Test
    void constantInputStaysExact() {
        double[] s = Ewma.smooth(new double[] {0.3, 0.3, 0.3, 0.3}, 105);
        assertArrayEquals(new double[] {0.3, 0.3, 0.3, 0.3}, s, 0.0);
    }

    @Test
    void restoredStateContinuesIdentically() {
        Ewma a = new Ewma(105);
        for (int i = 0; i < 50; i++) {
            a.update(i * 0.01);
        }
        Ewma b = new Ewma(105).restore(a.mean(), a.weight());
        assertEquals(a.update(2.0), b.update(2.0), 0.0);
        assertTrue(Double.isNaN(new Ewma(105).restore(0, 0).mean()));
        // The total weight tends to 1 / alpha = (span + 1) / 2.
        Ewma c = new Ewma(105);
        for (int i = 0; i < 5000; i++) {
            c.update(1);
        }
        assertEquals(53.0, c.weight(), 1e-9);
    }
}
