package io.vigil.topology.scoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each valid point of a channel and writes exactly one {@link ChannelScore} per point, plus
 * an {@link AnomalyEvent} whenever an anomalous segment opens or closes. What a point means for its
 * channel is decided by the channel's {@link ChannelScorer}; this processor finds the channel's
 * champion ({@link ChannelModels}: from the next point on, a new champion scores) and its scorer,
 * writes what the step decided to the stores, and forwards the score and events.
 *
 * <p>Loaded scorers are kept in memory (at most {@code scoring.channel.cache.size} per task, the least
 * recently used dropped), because rebuilding one from its checkpoint and tail costs up to
 * {@value ChannelScorer#TAIL_LIMIT} LSTM steps. The stores stay the truth: a kept scorer serves a point
 * only if the channel's stored record is byte for byte the one it last wrote, so a store restored,
 * rolled back or rewritten under it is read again. A point that the scorer refuses ({@link PointRefused})
 * or whose scoring throws is dead-lettered with its reason or as PROCESSING_ERROR; nothing it decided
 * is written, and unless the refusal changed nothing the scorer is dropped, so the channel goes on
 * from its stored state before that point.
 */
public final class ScoringProcessor implements Processor<String, Received<TelemetryPoint>, Object, Object> {

    /** The stores the scorer uses, by name. */
    public record Stores(String channelState, String window, String modelDescriptors, String modelParameters) {}

    private final Stores storeNames;
    private final ModelCache cache;
    private final DeadLetters deadLetters;
    private final String scoresSink;
    private final String anomaliesSink;
    private final StateBytes written;
    private final ScoringMeters meters;
    private final ChannelScorer.Rules rules;
    private final int channelCacheSize;
    private final Map<String, ChannelScorer> loaded;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> records;
    private KeyValueStore<String, byte[]> window;
    private ChannelScorer.WindowReader windowReader;
    private ChannelModels models;

    public ScoringProcessor(Stores storeNames, BaselineDetector baseline, ScoringSettings settings, ModelCache cache,
                            DeadLetters deadLetters, String scoresSink, String anomaliesSink, MeterRegistry meters) {
        this.storeNames = storeNames;
        this.cache = cache;
        this.deadLetters = deadLetters;
        this.scoresSink = scoresSink;
        this.anomaliesSink = anomaliesSink;
        this.written = new StateBytes(meters);
        this.meters = new ScoringMeters(meters);
        this.rules = new ChannelScorer.Rules(settings, baseline, LstmForwardPasses.best());
        this.channelCacheSize = settings.channelCacheSize();
        this.loaded = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ChannelScorer> eldest) {
                return size() > channelCacheSize;
            }
        };
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.records = context.getStateStore(storeNames.channelState());
        this.window = context.getStateStore(storeNames.window());
        this.windowReader = window::get;
        this.models = new ChannelModels(context.getStateStore(storeNames.modelDescriptors()),
                context.getStateStore(storeNames.modelParameters()), cache);
        // A task re-initialised after a failure restores its stores; what was kept may be ahead of them.
        loaded.clear();
    }

    @Override
    public void process(Record<String, Received<TelemetryPoint>> record) {
        Received<TelemetryPoint> received = record.value();
        String channel = record.key();
        TelemetryPoint point = received.value();
        List<ChannelScorer.SegmentChange> changes = new ArrayList<>(0);
        ChannelScorer.Step step;
        try {
            ActiveModel model = models.find(channel);
            ChannelScorer scorer = scorer(channel, model, changes);
            try {
                step = scorer.step(point.getEventTime().toEpochMilli(), point.getValue(), inputs(point, model), model,
                        windowReader, rules);
            } catch (PointRefused e) {
                if (!e.changedNothing()) {
                    loaded.remove(channel);
                }
                throw e;
            } catch (RuntimeException e) {
                loaded.remove(channel);
                throw e;
            }
        } catch (PointRefused e) {
            forward(channel, changes, record.timestamp());
            deadLetters.send(context, record, received.rawKey(), received.rawValue(), e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            forward(channel, changes, record.timestamp());
            deadLetters.failed(context, record, received.rawKey(), received.rawValue(), e);
            return;
        }
        store(channel, step.record(), step.windowWrites());
        meters.reset(step.reset());
        changes.addAll(step.changes());
        ChannelScore score = score(point, step);
        context.forward(new Record<Object, Object>(channel, score, record.timestamp()), scoresSink);
        List<AnomalyEvent> events = forward(channel, changes, record.timestamp());
        meters.scored(score, events);
    }

    /**
     * The channel's scorer: the one kept if the store still holds its record, else read from the stores.
     * What reading it decided is stored here, and its segment changes go to {@code changes}.
     */
    private ChannelScorer scorer(String channel, ActiveModel model, List<ChannelScorer.SegmentChange> changes) {
        byte[] stored = records.get(channel);
        ChannelScorer kept = loaded.get(channel);
        if (kept != null && Arrays.equals(kept.record(), stored)) {
            return kept;
        }
        ChannelScorer scorer;
        if (stored == null) {
            scorer = ChannelScorer.fresh(channel);
        } else {
            ChannelScorer.Loaded read = ChannelScorer.load(channel, stored, model, windowReader, rules);
            store(channel, read.record(), read.windowWrites());
            changes.addAll(read.changes());
            meters.loaded();
            scorer = read.scorer();
        }
        loaded.put(channel, scorer);
        return scorer;
    }

    private void store(String channel, byte[] record, List<ChannelScorer.WindowWrite> writes) {
        for (ChannelScorer.WindowWrite w : writes) {
            if (w.value() == null) {
                window.delete(w.key());
            } else {
                window.put(w.key(), w.value());
                written.add(w.key(), w.value().length);
            }
        }
        if (record != null) {
            records.put(channel, record);
            written.add(channel, record.length);
        }
    }

    private List<AnomalyEvent> forward(String channel, List<ChannelScorer.SegmentChange> changes, long timestamp) {
        List<AnomalyEvent> events = new ArrayList<>(changes.size());
        for (ChannelScorer.SegmentChange c : changes) {
            AnomalyEvent event = AnomalyEvent.newBuilder()
                    .setChannelId(channel)
                    .setStart(Instant.ofEpochMilli(c.start()))
                    .setEnd(c.end() == null ? null : Instant.ofEpochMilli(c.end()))
                    .setStatus(c.status())
                    .setSeverity(c.severity())
                    .setDetector(c.modelVersion() == null ? Detector.BASELINE : Detector.LSTM)
                    .setModelVersion(c.modelVersion())
                    .build();
            context.forward(new Record<Object, Object>(channel, event, timestamp), anomaliesSink);
            events.add(event);
        }
        return events;
    }

    /** The point's inputs as the scorer takes them; not copied for a model that ignores them. */
    private static double[] inputs(TelemetryPoint point, ActiveModel model) {
        List<Double> inputs = point.getInputs();
        if (inputs.isEmpty() || ChannelScorer.inputsTaken(model) == 0) {
            return ChannelCodec.NO_INPUTS;
        }
        double[] out = new double[inputs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = inputs.get(i);
        }
        return out;
    }

    private static ChannelScore score(TelemetryPoint point, ChannelScorer.Step step) {
        PointVerdict verdict = step.verdict();
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
                .setDetector(step.modelVersion() == null ? Detector.BASELINE : Detector.LSTM)
                .setModelVersion(step.modelVersion())
                .setScoredAt(Instant.now())
                .setDrift(Double.isNaN(verdict.drift()) ? null : verdict.drift())
                .build();
    }
}
