package io.vigil.topology.scoring;

import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.DeadLetterReason;
import io.vigil.topology.release.ActiveModel;
import io.vigil.topology.scoring.lstm.LstmForwardPass;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel's scoring decision, free of Kafka: the order of its points, when it starts over, which
 * detector scores it (its champion's LSTM and Telemanom's threshold, or the {@link BaselineDetector}),
 * its error window and its anomaly run. A {@link #step} takes a point and returns everything the point
 * decided, including what to store; the caller only does the store I/O, the dead letters and the
 * forwarding.
 *
 * <h2>Order and resets</h2>
 * A point not after the channel's last scored point is refused (DUPLICATE at the same event time,
 * OUT_OF_ORDER before it) and changes nothing. Then the channel starts over
 * (docs/scoring.md, "Hot swap" and "Gaps") when its champion is not the version its last point ran
 * (a first model, a new version, a rollback, a retirement: the detector changes with it), or, on the
 * same model, after a long gap ({@link ScoringSettings#isLongGap}; a baseline channel keeps its
 * statistics). Starting over closes an open segment under the detector that found it, deletes the old
 * window, and gives the LSTM zero state, no pending forecast and an empty window.
 *
 * <h2>What is stored: a checkpoint and a tail</h2>
 * The channel's {@linkplain ChannelCodec record} is a checkpoint, rewritten only when something
 * expensive to recompute changed: on every point of a baseline channel (its state is 48 bytes), on a
 * reset, when a batch of the LSTM's error window completes (the only points at which the threshold
 * decides, so segment events and the batch's chunk are stored with it) and after {@value #TAIL_LIMIT}
 * points without one (during the warm-up). Every other point is stored as a tail entry (25 bytes,
 * 29 + 8k with k input features), and
 * the state after it is recomputed from the checkpoint by {@link #load}ing: the forecasts are
 * reproducible to the bit, so a restored channel scores exactly as one that never moved. A tail
 * holds no segment event, so a tail that cannot be replayed (its model was replaced meanwhile) loses
 * nothing but LSTM state the next point resets anyway.
 *
 * <p>Mutable: a step changes this value in place, all or nothing from the stores' point of view. A
 * step that throws a {@link PointRefused} from {@link #step}'s inputs or order check has changed nothing; any
 * other exception leaves this value unusable, and the caller drops it and loads the channel again
 * from the stores, which hold the state before the point.
 */
public final class ChannelScorer {

    /** Points a tail may hold; the next one is stored as a checkpoint. */
    static final int TAIL_LIMIT = 128;

    /** What every channel of a processor scores with. */
    public record Rules(ScoringSettings settings, BaselineDetector baseline, LstmForwardPass pass) {}

    /** Reads a value of the channel's window store (chunks and tail entries) by key; null if absent. */
    public interface WindowReader {
        byte[] read(String key);
    }

    /** Why a channel started over at a point; {@code NONE} also for a channel's very first model. */
    public enum Reset { NONE, MODEL, GAP }

    /** An anomaly segment opening or closing, under the detector that found it (a null version: the baseline). */
    public record SegmentChange(AnomalyStatus status, long start, Long end, double severity, Integer modelVersion) {}

    /** A write to the window store; a null value deletes the key. */
    public record WindowWrite(String key, byte[] value) {}

    /**
     * Everything one point decided.
     *
     * @param verdict the point's score
     * @param modelVersion the champion that scored it, null for the baseline
     * @param changes segments opened or closed, in order
     * @param reset why the channel started over at this point
     * @param record the channel's new record, or null if it is unchanged
     * @param windowWrites what to write to the window store, in order
     */
    public record Step(PointVerdict verdict, Integer modelVersion, List<SegmentChange> changes, Reset reset,
                       byte[] record, List<WindowWrite> windowWrites) {}

    private final String channel;
    long points;
    long lastTime = Long.MIN_VALUE;
    /** Tail slots written since the LSTM's last reset, to delete exactly those on the next. */
    int tailSlots;
    Cadence cadence = new Cadence();
    AnomalyRun run = new AnomalyRun();
    /** Exactly one of the two is set once a point is scored. */
    BaselineDetector.State baseline;
    LstmChannel lstm;
    /** The record as stored: the cache of loaded channels is checked against the store with it. */
    byte[] record;
    /** Points since the record was written; their tail entries are slots 0 .. tailLength - 1. */
    private int tailLength;

    ChannelScorer(String channel) {
        this.channel = channel;
    }

    /** A channel never scored before. */
    public static ChannelScorer fresh(String channel) {
        return new ChannelScorer(channel);
    }

    /**
     * A channel loaded from its stores, and what loading it decided. The steps replayed from the tail
     * repeat what was stored and decide nothing, unless a setting changed since they were first taken
     * (a long gap is judged by {@code scoring.max.gap.*}): from the first replayed step that writes a
     * record on, its writes and segment changes are here, to be stored and sent before the point.
     */
    public record Loaded(ChannelScorer scorer, byte[] record, List<WindowWrite> windowWrites,
                         List<SegmentChange> changes) {}

    /**
     * The channel as its stored record and tail describe it, after the points of its tail.
     *
     * @param record the channel's record
     * @param model the channel's champion now, to replay the tail with if the tail was scored by it
     * @throws IllegalArgumentException if the record is unreadable
     */
    public static Loaded load(String channel, byte[] record, ActiveModel model, WindowReader window, Rules rules) {
        ChannelScorer s = ChannelCodec.record(channel, record);
        boolean replayable = s.lstm == null || (model != null && model.version() == s.lstm.version
                && model.descriptor().settings().equals(s.lstm.settings));
        byte[] rewritten = null;
        List<WindowWrite> writes = new ArrayList<>(0);
        List<SegmentChange> changes = new ArrayList<>(0);
        for (int slot = 0; slot < TAIL_LIMIT; slot++) {
            ChannelCodec.TailEntry entry = ChannelCodec.tail(window.read(ChannelCodec.tailKey(channel, slot)));
            if (entry == null || entry.point() != s.points + 1) {
                break;
            }
            if (replayable) {
                Step step = s.step(entry.time(), entry.value(), entry.inputs(), model, window, rules);
                if (step.record() != null || rewritten != null) {
                    rewritten = step.record() != null ? step.record() : rewritten;
                    writes.addAll(step.windowWrites());
                    changes.addAll(step.changes());
                }
            } else {
                // Scored by a model that is gone: only what the next point's reset keeps is recomputed.
                s.cadence.add(entry.time() - s.lastTime);
                s.lastTime = entry.time();
                s.points++;
                s.tailLength++;
            }
        }
        return new Loaded(s, rewritten, writes, changes);
    }

    /** The record as stored, null before the first point. */
    public byte[] record() {
        return record;
    }

    /** Event time of the last scored point, {@link Long#MIN_VALUE} before the first. */
    public long lastTime() {
        return lastTime;
    }

    /** The baseline's state, or null while an LSTM scores the channel. */
    public BaselineDetector.State baseline() {
        return baseline;
    }

    /** The model version the channel runs, or null on the baseline. */
    public Integer modelVersion() {
        return lstm == null ? null : lstm.version;
    }

    /** Values the LSTM consumed since its last reset, 0 on the baseline. */
    public long lstmSteps() {
        return lstm == null ? 0 : lstm.steps;
    }

    public boolean segmentOpen() {
        return run.isOpen();
    }

    /** Input features {@code model} is fed beside the value: 0 for the baseline (null) and a model of the value alone. */
    public static int inputsTaken(ActiveModel model) {
        return model == null ? 0 : model.descriptor().inputs().size();
    }

    /**
     * Scores the channel's next point.
     *
     * @param inputs the point's input features (not kept beyond the tail entry; treat as read-only)
     * @param model the channel's champion now, null for none
     * @throws PointRefused for a point the channel cannot take (order, inputs that are not the model's:
     *     nothing changed; value: see the class comment)
     */
    public Step step(long time, double value, double[] inputs, ActiveModel model, WindowReader window, Rules rules) {
        int takes = inputsTaken(model);
        if (takes > 0 && inputs.length != takes) {
            throw PointRefused.beforeAnyChange(DeadLetterReason.INPUTS_MISMATCH, "the point carries " + inputs.length
                    + " input features, but the channel's model v" + model.version() + " takes " + takes);
        }
        if (takes == 0) {
            // The baseline and a model of the value alone score the value: a producer that sends inputs
            // (a Telemanom replay, say) before the channel has a model that takes them loses nothing.
            inputs = ChannelCodec.NO_INPUTS;
        }
        if (points > 0 && time <= lastTime) {
            boolean duplicate = time == lastTime;
            throw PointRefused.beforeAnyChange(duplicate ? DeadLetterReason.DUPLICATE : DeadLetterReason.OUT_OF_ORDER,
                    "event time " + time + (duplicate ? " repeats" : " precedes")
                            + " the channel's last scored point at " + lastTime);
        }
        List<SegmentChange> changes = new ArrayList<>(0);
        List<WindowWrite> writes = new ArrayList<>(0);
        boolean first = points == 0;
        Reset reset = first ? Reset.NONE : resetIfDue(time - lastTime, model, changes, writes, rules.settings());
        if (model != null && lstm == null) {
            lstm = LstmChannel.start(channel, model.descriptor());
            baseline = null;
        }
        Integer version = model == null ? null : model.version();
        AnomalyRun.Emitter emitter = (status, start, end, severity) ->
                changes.add(new SegmentChange(status, start, end, severity, version));
        PointVerdict verdict;
        boolean batchCompleted = false;
        if (model == null) {
            verdict = scoreBaseline(rules.baseline(), time, value, emitter);
        } else {
            LstmChannel.Scored scored = lstm.score(model, rules.pass(), window, time, value, inputs, run, emitter,
                    rules.settings().driftDecay());
            verdict = scored.verdict();
            batchCompleted = scored.batchCompleted();
        }
        lastTime = time;
        points++;

        byte[] written = null;
        if (first || reset != Reset.NONE || lstm == null || batchCompleted || tailLength == TAIL_LIMIT) {
            if (lstm != null && lstm.currentChunk() != null) {
                writes.add(new WindowWrite(ChannelCodec.chunkKey(channel, lstm.currentChunkIndex()),
                        ChannelCodec.chunk(lstm.currentChunk())));
            }
            tailLength = 0;
            written = ChannelCodec.record(this);
            record = written;
        } else {
            writes.add(new WindowWrite(ChannelCodec.tailKey(channel, tailLength), ChannelCodec.tail(points, time, value, inputs)));
            tailLength++;
            tailSlots = Math.max(tailSlots, tailLength);
        }
        return new Step(verdict, version, changes, reset, written, writes);
    }

    /** Applies the reset rules before a point {@code gapMs} after the last; the CLOSED of an open segment goes to {@code changes}. */
    private Reset resetIfDue(long gapMs, ActiveModel model, List<SegmentChange> changes, List<WindowWrite> writes,
                             ScoringSettings settings) {
        boolean modelChanged = model == null ? lstm != null : lstm == null || lstm.version != model.version();
        boolean longGap = settings.isLongGap(gapMs, cadence.medianMs());
        cadence.add(gapMs);
        if (!modelChanged && !longGap) {
            return Reset.NONE;
        }
        Integer previous = lstm == null ? null : lstm.version;
        run.close((status, start, end, severity) -> changes.add(new SegmentChange(status, start, end, severity, previous)));
        if (lstm != null) {
            for (int k = 0; k < lstm.settings.windowSize(); k++) {
                writes.add(new WindowWrite(ChannelCodec.chunkKey(channel, k), null));
            }
            for (int slot = 0; slot < tailSlots; slot++) {
                writes.add(new WindowWrite(ChannelCodec.tailKey(channel, slot), null));
            }
            tailSlots = 0;
        }
        if (modelChanged) {
            // Unused while a model scores, and stale once it is retired: the baseline starts afresh.
            baseline = null;
            lstm = model == null ? null : LstmChannel.start(channel, model.descriptor());
            return Reset.MODEL;
        }
        if (lstm != null) {
            lstm = LstmChannel.start(channel, model.descriptor());
            return Reset.GAP;
        }
        // A baseline channel keeps its statistics across a gap; only its run ends.
        return Reset.NONE;
    }

    /**
     * The baseline's verdict, fed to the run. Severity is Telemanom's on the baseline's terms: the
     * excess of the smoothed error over the threshold in units of mu + sigma of the smoothed error's
     * history before the point (the raw excess when that history has no spread).
     */
    private PointVerdict scoreBaseline(BaselineDetector detector, long time, double value, AnomalyRun.Emitter emitter) {
        BaselineDetector.State before = baseline;
        BaselineDetector.Verdict v = detector.score(before, time, value);
        baseline = v.next();
        if (before != null) {
            double severity = 0;
            if (v.anomalous()) {
                double scale = before.errorMean() + Math.sqrt(before.errorVariance());
                double excess = v.smoothedError() - v.threshold();
                severity = scale > 0 ? excess / scale : excess;
            }
            run.baselinePoint(v.anomalous(), time, severity, emitter);
        }
        return new PointVerdict(v.forecast(), v.error(), v.smoothedError(), v.threshold(), v.anomalous(), Double.NaN);
    }
}
