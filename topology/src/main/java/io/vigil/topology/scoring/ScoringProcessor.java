package io.vigil.topology.scoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.TelemetryPoint;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.intake.Received;
import io.vigil.topology.release.ActiveModel;
import io.vigil.topology.release.ChannelModels;
import io.vigil.topology.release.ModelCache;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each valid point of a channel and writes exactly one {@link ChannelScore} per point, plus
 * an {@link AnomalyEvent} whenever an anomalous segment opens or closes. A channel with a champion
 * is scored by its LSTM and Telemanom's threshold ({@link LstmScorer}); one without by the
 * {@link BaselineDetector}.
 *
 * <p>Per point, in order:
 * <ol>
 *   <li>order: a point older than the channel's last scored point is dead-lettered as OUT_OF_ORDER,
 *       one with the same event time as DUPLICATE, leaving the state untouched;</li>
 *   <li>the champion is looked up ({@link ChannelModels}: from the next point on, a new champion
 *       scores), and {@link ResetRules} decide whether the channel starts over (model change, long
 *       gap);</li>
 *   <li>the point is scored, the channel's record is rewritten, the score and events forwarded.</li>
 * </ol>
 *
 * A point the detector refuses ({@link PointRefused}: a value the model cannot take) or whose scoring
 * throws is dead-lettered with its reason or as PROCESSING_ERROR, and every write it staged is
 * dropped, so the channel continues from its state before that point.
 */
public final class ScoringProcessor implements Processor<String, Received<TelemetryPoint>, Object, Object> {

    /** The stores the scorer uses, by name. */
    public record Stores(String channelState, String window, String modelDescriptors, String modelParameters) {}

    private final Stores storeNames;
    private final ModelCache cache;
    private final DeadLetters deadLetters;
    private final String scoresSink;
    private final String anomaliesSink;
    private final ResetRules resets;
    private final StateBytes written;
    private final ScoringMeters scored;
    private final BaselineScorer baselineScorer;
    private final LstmScorer lstmScorer = new LstmScorer(LstmForwardPasses.best());
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> states;
    private ChunkWindow window;
    private ChannelModels models;

    public ScoringProcessor(Stores storeNames, BaselineDetector baseline, ScoringSettings settings, ModelCache cache,
                            DeadLetters deadLetters, String scoresSink, String anomaliesSink, MeterRegistry meters) {
        this.storeNames = storeNames;
        this.cache = cache;
        this.deadLetters = deadLetters;
        this.scoresSink = scoresSink;
        this.anomaliesSink = anomaliesSink;
        this.resets = new ResetRules(settings, meters);
        this.written = new StateBytes(meters);
        this.scored = new ScoringMeters(meters);
        this.baselineScorer = new BaselineScorer(baseline);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(storeNames.channelState());
        this.window = new ChunkWindow(context.getStateStore(storeNames.window()), written);
        this.models = new ChannelModels(context.getStateStore(storeNames.modelDescriptors()),
                context.getStateStore(storeNames.modelParameters()), cache);
    }

    @Override
    public void process(Record<String, Received<TelemetryPoint>> record) {
        Received<TelemetryPoint> received = record.value();
        List<AnomalyEvent> events = new ArrayList<>(0);
        ChannelScore score;
        try {
            score = score(record.key(), received.value(), events);
        } catch (PointRefused e) {
            window.discard();
            deadLetters.send(context, record, received.rawKey(), received.rawValue(), e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            // Nothing of the point was written: the channel goes on from its state before it.
            window.discard();
            deadLetters.failed(context, record, received.rawKey(), received.rawValue(), e);
            return;
        }
        context.forward(new Record<Object, Object>(record.key(), score, record.timestamp()), scoresSink);
        for (AnomalyEvent event : events) {
            context.forward(new Record<Object, Object>(record.key(), event, record.timestamp()), anomaliesSink);
        }
        scored.scored(score, events);
    }

    /** Scores one point and writes the channel's state, last of all, so a failure leaves it untouched. */
    private ChannelScore score(String channel, TelemetryPoint point, List<AnomalyEvent> events) {
        long time = point.getEventTime().toEpochMilli();
        byte[] stored = states.get(channel);
        ChannelState state = stored == null ? ChannelState.fresh() : ChannelState.fromBytes(stored);
        if (stored != null && time <= state.lastTime) {
            boolean duplicate = time == state.lastTime;
            throw new PointRefused(duplicate ? DeadLetterReason.DUPLICATE : DeadLetterReason.OUT_OF_ORDER,
                    "event time " + time + (duplicate ? " repeats" : " precedes")
                            + " the channel's last scored point at " + state.lastTime);
        }
        ActiveModel model = models.find(channel);
        // A segment closed by a reset belongs to the detector that found it.
        Integer previousVersion = state.lstm == null ? null : state.lstm.version;
        resets.apply(channel, state, model, stored == null ? -1 : time - state.lastTime, window,
                emitter(channel, previousVersion, events));

        AnomalyRun.Emitter emitter = emitter(channel, model == null ? null : model.version(), events);
        PointVerdict verdict = model != null
                ? lstmScorer.score(state.lstm, model, window, channel, time, point.getValue(), state.run, emitter)
                : baselineScorer.score(state, time, point.getValue(), emitter);
        state.lastTime = time;
        byte[] bytes = state.toBytes();
        window.commit();
        states.put(channel, bytes);
        written.add(channel, bytes.length);

        return ChannelScore.newBuilder()
                .setChannelId(point.getChannelId())
                .setSource(point.getSource())
                .setEventTime(point.getEventTime())
                .setValue(point.getValue())
                .setForecast(verdict.forecast())
                .setError(verdict.error())
                .setSmoothedError(verdict.smoothedError())
                .setThreshold(verdict.threshold())
                .setAnomalous(verdict.anomalous())
                .setDetector(model == null ? Detector.BASELINE : Detector.LSTM)
                .setModelVersion(model == null ? null : model.version())
                .setScoredAt(Instant.now())
                .build();
    }

    private static AnomalyRun.Emitter emitter(String channel, Integer version, List<AnomalyEvent> events) {
        return (status, start, end, severity) -> events.add(AnomalyEvent.newBuilder()
                .setChannelId(channel)
                .setStart(Instant.ofEpochMilli(start))
                .setEnd(end == null ? null : Instant.ofEpochMilli(end))
                .setStatus(status)
                .setSeverity(severity)
                .setDetector(version == null ? Detector.BASELINE : Detector.LSTM)
                .setModelVersion(version)
                .build());
    }
}
