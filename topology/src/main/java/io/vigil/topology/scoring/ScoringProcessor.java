package io.vigil.topology.scoring;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.Detector;
import io.vigil.avro.TelemetryPoint;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.intake.Received;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each valid point of a channel against that channel's state and writes exactly one
 * {@link ChannelScore} per point. Channels without a model are scored by the {@link BaselineDetector}.
 *
 * <p>Order is per channel: a point older than the channel's last scored point is dead-lettered as
 * OUT_OF_ORDER and one with the same event time as DUPLICATE, in both cases leaving the state
 * untouched, because a last-value forecaster fed out of order would score noise.
 */
public final class ScoringProcessor implements Processor<String, Received<TelemetryPoint>, Object, Object> {

    private final String stateStoreName;
    private final BaselineDetector detector;
    private final DeadLetters deadLetters;
    private final String scoresSinkName;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, BaselineDetector.State> states;

    public ScoringProcessor(String stateStoreName, BaselineDetector detector, DeadLetters deadLetters,
                            String scoresSinkName) {
        this.stateStoreName = stateStoreName;
        this.detector = detector;
        this.deadLetters = deadLetters;
        this.scoresSinkName = scoresSinkName;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(stateStoreName);
    }

    @Override
    public void process(Record<String, Received<TelemetryPoint>> record) {
        Received<TelemetryPoint> received = record.value();
        TelemetryPoint point = received.value();
        long eventTime = point.getEventTime().toEpochMilli();
        BaselineDetector.State state = states.get(record.key());
        if (state != null && eventTime <= state.lastTime()) {
            boolean duplicate = eventTime == state.lastTime();
            deadLetters.send(context, record, received.rawKey(), received.rawValue(),
                    duplicate ? DeadLetterReason.DUPLICATE : DeadLetterReason.OUT_OF_ORDER,
                    "event time " + eventTime + (duplicate ? " repeats" : " precedes")
                            + " the channel's last scored point at " + state.lastTime());
            return;
        }
        BaselineDetector.Verdict verdict = detector.score(state, eventTime, point.getValue());
        states.put(record.key(), verdict.next());
        ChannelScore score = ChannelScore.newBuilder()
                .setChannelId(point.getChannelId())
                .setSource(point.getSource())
                .setEventTime(point.getEventTime())
                .setValue(point.getValue())
                .setForecast(verdict.forecast())
                .setError(verdict.error())
                .setSmoothedError(verdict.smoothedError())
                .setThreshold(verdict.threshold())
                .setAnomalous(verdict.anomalous())
                .setDetector(Detector.BASELINE)
                .setModelVersion(null)
                .setScoredAt(Instant.now())
                .build();
        context.forward(new Record<Object, Object>(record.key(), score, record.timestamp()), scoresSinkName);
    }
}
