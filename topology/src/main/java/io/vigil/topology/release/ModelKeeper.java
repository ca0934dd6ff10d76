package io.vigil.topology.release;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.ModelRelease;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.intake.Received;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Materializes the models topic into the scoring sub-topology's stores: each decoded release is
 * checked ({@link ReleaseCheck}), weighed against the channel's current champion
 * ({@link ChampionRule}) and, if it wins, written as parameters (RocksDB: 311 KB for 2x80) and
 * descriptor (an in-memory store, since the scorer reads it on every point), in that order, so the
 * scorer never sees a descriptor without its weights. A failed check or a refused version is a
 * BAD_MODEL dead letter and leaves the current model in place; a tombstone retires the channel's
 * model (the channel returns to the baseline). The stores have changelogs of their own, so a model
 * kept here survives even after compaction drops it from the models topic.
 *
 * <p>Outcomes are counted in {@code vigil.models{outcome=applied|rollback|unchanged|retired|rejected}}.
 */
public final class ModelKeeper implements Processor<String, Received<ModelRelease>, Object, Object> {

    /** What happened to a models record. */
    public enum Outcome { APPLIED, ROLLBACK, UNCHANGED, RETIRED, REJECTED }

    private final String descriptorStoreName;
    private final String parameterStoreName;
    private final ModelCache cache;
    private final DeadLetters deadLetters;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> descriptors;
    private KeyValueStore<String, byte[]> parameters;

    public ModelKeeper(String descriptorStoreName, String parameterStoreName, ModelCache cache,
                       DeadLetters deadLetters, MeterRegistry meters) {
        this.descriptorStoreName = descriptorStoreName;
        this.parameterStoreName = parameterStoreName;
        this.cache = cache;
        this.deadLetters = deadLetters;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("vigil.models")
                    .description("records of the models topic by what they did to the channel's model")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters));
        }
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.descriptors = context.getStateStore(descriptorStoreName);
        this.parameters = context.getStateStore(parameterStoreName);
    }

    @Override
    public void process(Record<String, Received<ModelRelease>> record) {
        try {
            keep(record);
        } catch (RuntimeException e) {
            Received<ModelRelease> received = record.value();
            deadLetters.failed(context, record, received.rawKey(), received.rawValue(), e);
            outcomes.get(Outcome.REJECTED).increment();
        }
    }

    private void keep(Record<String, Received<ModelRelease>> record) {
        String channel = record.key();
        ModelRelease release = record.value().value();
        if (release == null) {
            descriptors.delete(channel);
            parameters.delete(channel);
            cache.invalidate(channel);
            outcomes.get(Outcome.RETIRED).increment();
            return;
        }
        ReleaseCheck.Checked checked;
        try {
            checked = ReleaseCheck.check(release, cache.precision());
        } catch (ReleaseCheck.BadRelease | RuntimeException e) {
            // A release the check cannot even read is as bad as one it refuses.
            reject(record, "version " + release.getVersion() + ": " + e.getMessage());
            return;
        }
        byte[] current = descriptors.get(channel);
        ChampionRule.Decision decision = ChampionRule.decide(current == null ? null : ModelDescriptor.fromBytes(current),
                checked.descriptor());
        switch (decision.kind()) {
            case REJECT -> reject(record, decision.detail());
            case UNCHANGED -> outcomes.get(Outcome.UNCHANGED).increment();
            case APPLY, ROLLBACK -> {
                byte[] descriptor = checked.descriptor().toBytes();
                parameters.put(channel, checked.parameters());
                descriptors.put(channel, descriptor);
                cache.put(channel, descriptor, new ActiveModel(checked.descriptor(), checked.weights()));
                outcomes.get(decision.kind() == ChampionRule.Kind.APPLY ? Outcome.APPLIED : Outcome.ROLLBACK).increment();
            }
        }
    }

    private void reject(Record<String, Received<ModelRelease>> record, String detail) {
        Received<ModelRelease> received = record.value();
        deadLetters.send(context, record, received.rawKey(), received.rawValue(), DeadLetterReason.BAD_MODEL, detail);
        outcomes.get(Outcome.REJECTED).increment();
    }
}
