package io.vigil.topology.scoring;

import io.vigil.avro.LstmArchitecture;
import io.vigil.topology.scoring.lstm.LstmForwardPass;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.lstm.LstmState;

/**
 * What the scorer should compute for one channel's series, worked out directly from the engine
 * parts with no topology, store or serde in between: scaling by the training bounds, the forecast of
 * point t made by the step on point t - 1 from a zero state, and the error in scaled units.
 */
final class ReferenceScoring {

    /** Index 0 has no forecast (NaN). */
    record Run(double[] scaled, double[] forecasts, double[] errors) {}

    private ReferenceScoring() {}

    static Run run(LstmForwardPass pass, LstmArchitecture a, byte[] parameters, double min, double max,
                   double[] values) {
        LstmParameters p = LstmParameters.fromBytes(a, parameters, LstmParameters.Precision.FLOAT32);
        LstmState state = LstmState.zero(a);
        int n = values.length;
        double[] scaled = new double[n];
        double[] forecasts = new double[n];
        double[] errors = new double[n];
        float pending = Float.NaN;
        for (int t = 0; t < n; t++) {
            double x = -1 + 2 * (values[t] - min) / (max - min);
            scaled[t] = x;
            forecasts[t] = t == 0 ? Double.NaN : min + (pending + 1.0) / 2.0 * (max - min);
            errors[t] = t == 0 ? Double.NaN : Math.abs(pending - x);
            pending = pass.step(p, state, (float) x);
        }
        return new Run(scaled, forecasts, errors);
    }

    static double[] tail(double[] values, int from) {
        return java.util.Arrays.copyOfRange(values, from, values.length);
    }
}
