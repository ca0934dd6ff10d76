package io.vigil.schemas;

import java.util.List;

/**
 * Every Kafka topic Vigil reads or writes, declared once. Telemetry, models and scores are keyed by
 * channel id and share a partition count, so a channel's points, its model and its state meet on the
 * same instance.
 */
public final class Topics {

    /** A topic's name, whether it keeps only the latest record per key, and what it carries. */
    public record Spec(String name, boolean compacted, String doc) {}

    /** Telemetry points keyed by channel id: the scorer's input. */
    public static final Spec TELEMETRY = new Spec("vigil.telemetry", false, "telemetry points by channel");
    /** Node heartbeats keyed by node id. */
    public static final Spec HEARTBEATS = new Spec("vigil.heartbeats", false, "node heartbeats by node");
    /** One score per scored telemetry point, keyed by channel id. */
    public static final Spec SCORES = new Spec("vigil.scores", false, "per-point channel scores");
    /** OPEN and CLOSED anomaly segment events, keyed by channel id. */
    public static final Spec ANOMALIES = new Spec("vigil.anomalies", false, "anomaly segment events");
    /** Node status changes; compacted so the latest record is the node's status. */
    public static final Spec NODE_STATUS = new Spec("vigil.node-status", true, "node status changes: first heartbeat, reported state, FAULTED, RECOVERED");
    /** Released models keyed by channel id; compacted so the latest record is the champion. */
    public static final Spec MODELS = new Spec("vigil.models", true, "released channel models");
    /** Every model release ever made, keyed {@code channel@version}, each key written once; rollback reads it. */
    public static final Spec MODEL_VERSIONS = new Spec("vigil.model-versions", true, "archive of model releases");
    /** Ground-truth label segments of replayed and simulated channels. */
    public static final Spec LABELS = new Spec("vigil.labels", false, "ground-truth label segments");
    /** Input records that could not be scored, and transitions the notifier could not deliver, with the reason. */
    public static final Spec DEAD_LETTERS = new Spec("vigil.dead-letters", false, "unscorable input records, undeliverable alerts");
    /** The local schema registry's log of schemas (Confluent's default name). */
    public static final Spec SCHEMAS = new Spec("_schemas", true, "schema registry storage");

    /** Topics that are keyed by channel and must share one partition count. */
    public static final List<Spec> CHANNEL_KEYED = List.of(TELEMETRY, SCORES, ANOMALIES, MODELS, LABELS);

    /**
     * Topics whose records the broker stamps on arrival ({@code message.timestamp.type=LogAppendTime}).
     * Producers stamp points and labels with their event time, which a replay or a backfill puts months
     * or years in the past; a broker's time retention deletes a segment whose newest timestamp is older
     * than {@code retention.ms} at its next check, so history would be deleted within minutes, before it
     * is scored. Stamped on arrival, retention counts from arrival; the record keeps its event time
     * inside. What the scorer writes carries its input's timestamp, so scores and anomalies count from
     * the point's arrival too; dead letters are stamped on arrival as well, because a refused heartbeat
     * keeps the time its sender gave it. Heartbeats keep their sender's time: liveness in stream time is
     * measured in it.
     */
    public static final List<Spec> STAMPED_ON_ARRIVAL = List.of(TELEMETRY, LABELS, DEAD_LETTERS);

    public static List<Spec> all() {
        return List.of(TELEMETRY, HEARTBEATS, SCORES, ANOMALIES, NODE_STATUS, MODELS, MODEL_VERSIONS, LABELS, DEAD_LETTERS,
                SCHEMAS);
    }

    private Topics() {}
}
