package io.vigil.topology.bench;

import io.vigil.topology.scoring.lstm.LstmForwardPass;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.lstm.LstmState;
import java.time.Duration;

/**
 * The LSTM step alone, as the scorer meets it: every channel of the {@link Fleet} with its own
 * weights (the champions' very bytes, in the scorer's weight precision), stepped in turn one point
 * per channel per round, so each step streams its channel's weights from memory rather than from
 * cache. One thread, the JVM's best forward pass ({@link LstmForwardPasses#best()}), the fleet's
 * values as input. Whole rounds are timed after a warm-up long enough for the JIT to compile the pass.
 */
final class InterleavedSteps {

    /** Warm-up: at least this long and at least one round. */
    private static final Duration WARMUP = Duration.ofSeconds(3);
    /** Timing: at least this long and at least one round. */
    private static final Duration MEASURE = Duration.ofSeconds(5);

    /**
     * @param nanosPerStep mean wall time of one step
     * @param steps steps timed
     * @param weightBytes the fleet's weights in memory
     * @param pass the forward pass's class
     */
    record Result(double nanosPerStep, long steps, long weightBytes, String pass) {}

    private InterleavedSteps() {}

    static Result time(int channels, LstmParameters.Precision precision) {
        LstmParameters[] fleet = new LstmParameters[channels];
        LstmState[] states = new LstmState[channels];
        long weightBytes = 0;
        for (int c = 0; c < channels; c++) {
            fleet[c] = LstmParameters.fromBytes(Fleet.SHAPE, Fleet.parameters(c), precision);
            states[c] = LstmState.zero(Fleet.SHAPE);
            weightBytes += fleet[c].weightBytes();
        }
        LstmForwardPass pass = LstmForwardPasses.best();
        float[] sink = new float[1];
        int round = 0;
        long warmupEnd = System.nanoTime() + WARMUP.toNanos();
        do {
            stepAll(pass, fleet, states, round++, sink);
        } while (System.nanoTime() < warmupEnd);
        long started = System.nanoTime();
        long rounds = 0;
        long elapsed;
        do {
            stepAll(pass, fleet, states, round++, sink);
            rounds++;
            elapsed = System.nanoTime() - started;
        } while (elapsed < MEASURE.toNanos());
        if (Float.isNaN(sink[0])) {
            throw new IllegalStateException("the forecasts summed to NaN");
        }
        long steps = rounds * channels;
        return new Result((double) elapsed / steps, steps, weightBytes, pass.getClass().getSimpleName());
    }

    /** One round: every channel's step in turn; the forecasts are summed into {@code sink} so that none is optimised away. */
    private static void stepAll(LstmForwardPass pass, LstmParameters[] fleet, LstmState[] states, int round, float[] sink) {
        float sum = sink[0];
        for (int c = 0; c < fleet.length; c++) {
            sum += pass.step(fleet[c], states[c], (float) Fleet.value(round, c));
        }
        sink[0] = sum;
    }
}
