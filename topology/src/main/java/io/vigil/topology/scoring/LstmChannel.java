package io.vigil.topology.scoring;

import io.vigil.avro.DeadLetterReason;
import io.vigil.topology.release.ActiveModel;
import io.vigil.topology.release.ModelDescriptor;
import io.vigil.topology.release.ScaleRange;
import io.vigil.topology.scoring.drift.DriftWindow;
import io.vigil.topology.scoring.lstm.LstmForwardPass;
import io.vigil.topology.scoring.lstm.LstmState;
import io.vigil.topology.scoring.telemanom.Chunk;
import io.vigil.topology.scoring.telemanom.ChunkStore;
import io.vigil.topology.scoring.telemanom.SegmentEvent;
import io.vigil.topology.scoring.telemanom.StreamState;
import io.vigil.topology.scoring.telemanom.StreamingThreshold;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;

/**
 * A channel's LSTM detector between points, Telemanom's way:
 *
 * <ol>
 *   <li>the value is scaled with the model's training bounds to x in [-1, 1] (not clipped), and each
 *       input feature with its own bounds;</li>
 *   <li>the forecast for this point is the one the network made when it stepped on the previous
 *       point, kept in {@link #pending}; the error is e = |forecast - x| in scaled units;</li>
 *   <li>the network steps on x and the scaled inputs, which updates h and c and yields the forecast
 *       for the next point;</li>
 *   <li>after the warm-up ({@link ModelDescriptor#warmupSteps()} values since the last reset, so the
 *       recurrent state has seen as much context as a training sequence) e and x feed the
 *       {@link StreamingThreshold}, whose report and segment events become the verdict and the
 *       anomaly events.</li>
 * </ol>
 *
 * A value or input that scales beyond a finite float, or that drives the forecast to a non-finite
 * number, is refused ({@link PointRefused}, VALUE_OUT_OF_RANGE).
 *
 * <p>During the warm-up the point is reported with its forecast and error (none for the very first
 * point after a reset) and no smoothed error, threshold or flag.
 *
 * <p>The batch of the error window being filled is held here; complete batches are read from the
 * window store when the threshold asks for them, which it does once per batch.
 *
 * <p>Where the model carries a quantile sketch of its training values, every scaled value (warm-up
 * included: drift is about the values, not the forecasts) also enters the channel's {@link DriftWindow},
 * and the verdict carries the distance.
 */
final class LstmChannel {

    /** The verdict on a point, and whether it completed a batch of the error window. */
    record Scored(PointVerdict verdict, boolean batchCompleted) {}

    private final String channel;
    final int version;
    /** How this model's errors are thresholded: also says which chunks the window has, to delete them on a reset. */
    final ThresholdSettings settings;
    /** Values consumed since the last reset; the next point's index among them. */
    long steps;
    /** Scaled forecast of the next value; meaningless while {@code steps == 0}. */
    float pending;
    final LstmState state;
    final StreamState threshold;
    /** Recent values against the model's training values; null for a model without a sketch. */
    DriftWindow drift;
    /** The batch being filled and its index among the window's chunks; -1 until the threshold writes one. */
    private Chunk current;
    private int currentIndex = -1;

    LstmChannel(String channel, int version, ThresholdSettings settings, long steps,
                float pending, LstmState state, StreamState threshold, DriftWindow drift) {
        this.channel = channel;
        this.version = version;
        this.settings = settings;
        this.steps = steps;
        this.pending = pending;
        this.state = state;
        this.threshold = threshold;
        this.drift = drift;
    }

    /** A channel that has just started with {@code model}: zero state, no forecast, empty windows. */
    static LstmChannel start(String channel, ModelDescriptor model) {
        return new LstmChannel(channel, model.version(), model.settings(), 0, Float.NaN,
                LstmState.zero(model.architecture()), new StreamState(model.settings()), driftWindow(model));
    }

    /** An empty drift window for {@code model}'s sketch; null if it has none. */
    static DriftWindow driftWindow(ModelDescriptor model) {
        return model.drift() == null ? null : new DriftWindow(model.drift().intervals());
    }

    /** The batch being filled, or null if the threshold has not written one since this value was loaded. */
    Chunk currentChunk() {
        return current;
    }

    int currentChunkIndex() {
        return currentIndex;
    }

    /**
     * @param inputs the point's input features, as many as the model takes (the caller checked)
     * @param driftDecay the drift window's decay per point
     */
    Scored score(ActiveModel model, LstmForwardPass pass, ChannelScorer.WindowReader window, long time, double value,
                 double[] inputs, AnomalyRun run, AnomalyRun.Emitter emitter, double driftDecay) {
        ModelDescriptor d = model.descriptor();
        double x = scaled(-1, value, d.scaling());
        float[] features = LstmForwardPass.NO_INPUTS;
        if (inputs.length > 0) {
            features = new float[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                features[i] = (float) scaled(i, inputs[i], d.inputs().get(i));
            }
        }
        long consumed = steps;
        double error = consumed > 0 ? Math.abs(pending - x) : Double.NaN;
        double forecast = consumed > 0 ? d.scaling().unscale(pending) : Double.NaN;
        pending = pass.step(model.weights(), state, (float) x, features);
        if (!Float.isFinite(pending)) {
            throw new PointRefused(DeadLetterReason.VALUE_OUT_OF_RANGE, "value " + value + " (scaled " + x
                    + ") drives the network's forecast to " + pending);
        }
        steps = consumed + 1;
        DriftWindow w = driftWindowFor(d);
        double distance = w == null ? Double.NaN : w.add((float) x, d.drift(), driftDecay);
        if (consumed < d.warmupSteps()) {
            return new Scored(new PointVerdict(forecast, error, Double.NaN, Double.NaN, false, distance), false);
        }
        StreamingThreshold.Report report = model.threshold().accept(threshold, chunks(window), error, x, time);
        for (SegmentEvent e : report.events()) {
            if (e.kind() == SegmentEvent.Kind.OPEN) {
                run.opened(e.startTime(), e.endTime(), e.severity(), emitter);
            } else {
                run.closed(e.endTime(), e.severity(), emitter);
            }
        }
        if (threshold.anomalous() && report.decidedThrough() == report.index()) {
            run.extended(threshold.openEndTime(), threshold.openSequence().severity());
        }
        boolean completed = threshold.count() % settings.batchSize() == 0;
        return new Scored(new PointVerdict(forecast, error, report.smoothedError(), report.threshold(),
                report.anomalous(), distance), completed);
    }

    /**
     * The drift window for {@code d}'s sketch: the one kept where it fits, else a fresh one (a record
     * stored before drift was measured has none), so a point is never refused over its drift.
     */
    private DriftWindow driftWindowFor(ModelDescriptor d) {
        if (d.drift() == null) {
            drift = null;
        } else if (drift == null || drift.intervals() != d.drift().intervals()) {
            drift = new DriftWindow(d.drift().intervals());
        }
        return drift;
    }

    /** {@code raw} scaled with {@code range}; {@code input} says which input it is, -1 for the value. */
    private static double scaled(int input, double raw, ScaleRange range) {
        double v = range.scale(raw);
        if (!Float.isFinite((float) v)) {
            throw new PointRefused(DeadLetterReason.VALUE_OUT_OF_RANGE, (input < 0 ? "value " : "input " + input + " ")
                    + raw + " scales to " + v + " with the model's bounds " + range + ", beyond a finite network input");
        }
        return v;
    }

    /** The error window: the batch being filled from here, the others from the window store. */
    private ChunkStore chunks(ChannelScorer.WindowReader window) {
        return new ChunkStore() {
            @Override
            public Chunk chunk(int index) {
                return index == currentIndex ? current
                        : ChannelCodec.chunk(window.read(ChannelCodec.chunkKey(channel, index)), settings.batchSize());
            }

            @Override
            public void putChunk(int index, Chunk chunk) {
                current = chunk;
                currentIndex = index;
            }
        };
    }
}
