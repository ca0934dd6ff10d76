package io.vigil.notifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.DeadLetterReason;
import io.vigil.avro.NodeStatus;
import io.vigil.config.ConnectionCheck;
import io.vigil.config.HostName;
import io.vigil.config.Settings;
import io.vigil.metrics.ProbeServer;
import io.vigil.metrics.ServiceMeters;
import io.vigil.notifier.alert.Transition;
import io.vigil.notifier.receiver.Receiver;
import io.vigil.schemas.ServiceAccess;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The notifier service: reads anomaly segment events and node status changes and tells receivers
 * (Alertmanager, JSON webhooks) of every OPEN, CLOSED, FAULTED and RECOVERED, once per transition.
 *
 * <p>Once: a record's position is committed in the same Kafka transaction as the dead letters its
 * deliveries left, right after its receivers answered, and a restart resumes after the last committed
 * record. What a crash between a delivery and that commit can cause is one repeat of that record's
 * deliveries, with the same {@code Idempotency-Key} (the transition's id) and, for Alertmanager, the
 * same labels, which it merges into the alert it has. A receiver that answers 4xx (but 408 and 429)
 * refuses the transition for good: a dead letter ALERT_REFUSED with its answer. One that keeps
 * failing is retried with backoff ({@link NotifierConfig.Retry}), then dead-lettered as
 * ALERT_UNDELIVERED. Either way the notifier goes on: one receiver's outage delays, never stops, the
 * others, and no transition is dropped without a record of it.
 */
public final class Notifier implements AutoCloseable {

    static final String DELIVERIES = "vigil.notifier.deliveries";

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * Deliveries and retries happen between polls, one record a poll: room for every receiver's whole
     * retry budget on it (about 100 s each at the default retry settings and timeouts).
     */
    private static final int MAX_POLL_INTERVAL_MS = 30 * 60_000;
    /** Records with nothing to send committed at once, at most. */
    private static final int MAX_PENDING = 500;

    private final NotifierConfig config;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Deserializer<AnomalyEvent> anomalies;
    private final Deserializer<NodeStatus> nodes;
    private final Serializer<DeadLetter> deadLetters;
    private final HttpClient http;
    private final Clock clock;
    private final MeterRegistry meters;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    public Notifier(NotifierConfig config, MeterRegistry meters, Clock clock) {
        if (config.receivers().isEmpty()) {
            throw new IllegalArgumentException("notifier.receivers names no receiver: nothing to notify");
        }
        this.config = config;
        this.meters = meters;
        this.clock = clock;
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.clients().bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-notifier");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.start());
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.consumer = new KafkaConsumer<>(config.clients().consumer(c), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.clients().bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-notifier");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ServiceAccess.NOTIFIER_TRANSACTIONAL_PREFIX + "-" + config.groupId()
                + "-" + HostName.get());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config.clients().producer(p), new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> serde = config.clients().registry().serdeConfig();
        this.anomalies = AvroSerde.configured(AnomalyEvent.class, serde, false).deserializer();
        this.nodes = AvroSerde.configured(NodeStatus.class, serde, false).deserializer();
        this.deadLetters = AvroSerde.configured(DeadLetter.class, serde, false).serializer();
        // Each request has its receiver's own timeout; connecting may take the longest of them.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.receivers().stream().map(Receiver::timeout).max(Duration::compareTo)
                        .orElse(NotifierConfig.DEFAULT_TIMEOUT)).build();
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystem();
        NotifierConfig config = NotifierConfig.from(settings);
        settings.warnUnknownKeys();
        ConnectionCheck.runOrExit(config.clients(), log);
        ServiceMeters serviceMeters = new ServiceMeters("notifier");
        Notifier notifier = new Notifier(config, serviceMeters.registry(), Clock.systemUTC());
        // Liveness only: the notifier is idle between transitions, and a Kafka outage is waited out.
        ProbeServer server = config.metricsPort() > 0 ? ProbeServer.start(config.metricsPort(), serviceMeters.registry(),
                Map.of("/health", () -> new ProbeServer.Verdict(true, "ok"))) : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            notifier.close();
            if (server != null) {
                server.close();
            }
            serviceMeters.close();
        }, "notifier-shutdown"));
        log.atInfo().setMessage("notifier running").addKeyValue("receivers", config.receivers()).log();
        try {
            notifier.run();
        } catch (RuntimeException e) {
            // Kafka refused a commit for good (fenced, a lost group generation, a timeout): what was not
            // committed is delivered again by the next run, so a supervisor's restart loses nothing.
            log.atError().setMessage("notifier stopped").addKeyValue("error", e.toString()).addKeyValue("exitStatus", 1).log();
            System.exit(1);
        }
    }

    /** Reads and delivers until {@link #close()}. */
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.ANOMALIES.name(), Topics.NODE_STATUS.name()));
            // Records with nothing to send (ALIVE, routes that match nothing) wait to be committed with
            // the next record that has, or for a quiet moment: a transaction each would be wasted.
            List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
            long pendingSince = 0;
            int registryFailures = 0;
            while (stop.getCount() > 0) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) { // one record a poll
                    List<DeadLetter> letters = new ArrayList<>();
                    boolean sent;
                    try {
                        sent = handle(r, letters);
                        registryFailures = 0;
                    } catch (RegistryUnavailable e) {
                        // Not the record's fault: read it again once the registry answers.
                        consumer.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
                        if (registryFailures++ == 0) {
                            log.atWarn().setMessage("the schema registry did not answer; retrying")
                                    .addKeyValue("error", e.getCause().toString()).log();
                        }
                        if (waitOrStop(config.retry().after(Math.min(registryFailures, 30)))) {
                            throw new Stopped();
                        }
                        continue;
                    }
                    if (pending.isEmpty()) {
                        pendingSince = System.nanoTime();
                    }
                    pending.add(r);
                    if (sent) {
                        commit(pending, letters);
                        pending.clear();
                    }
                }
                if (!pending.isEmpty() && (pending.size() >= MAX_PENDING || System.nanoTime() - pendingSince > POLL.toNanos())) {
                    commit(pending, List.of());
                    pending.clear();
                }
            }
        } catch (WakeupException | Stopped e) {
            // close() woke the poll, or ended a retry: what is not committed is read again by the next run
        } finally {
            consumer.close();
            producer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    /**
     * Sends the record's transition to every receiver whose route it matches; false when it had none to
     * send. A record that is not one (bad bytes, a schema id the registry does not know) is a dead
     * letter; a registry that does not answer is {@link RegistryUnavailable}.
     */
    private boolean handle(ConsumerRecord<byte[], byte[]> r, List<DeadLetter> letters) {
        Transition t;
        try {
            t = r.value() == null ? null : r.topic().equals(Topics.ANOMALIES.name())
                    ? Transition.of(anomalies.deserialize(r.topic(), r.headers(), r.value()))
                    : Transition.of(nodes.deserialize(r.topic(), r.headers(), r.value()));
        } catch (WireFormatException e) {
            letters.add(deadLetter(r, e.kind() == WireFormatException.Kind.UNKNOWN_SCHEMA_ID
                    ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.MALFORMED,
                    "not readable as a transition: " + e.getMessage()));
            return true;
        } catch (RuntimeException e) {
            throw new RegistryUnavailable(e);
        }
        if (t == null) {
            return false;
        }
        boolean sent = false;
        for (Receiver receiver : config.receivers()) {
            if (receiver.route().matches(t)) {
                sent = true;
                deliver(receiver, t, r, letters);
            }
        }
        return sent;
    }

    private void deliver(Receiver receiver, Transition t, ConsumerRecord<byte[], byte[]> r, List<DeadLetter> letters) {
        NotifierConfig.Retry retry = config.retry();
        Receiver.Attempt attempt = null;
        for (int n = 1; n <= retry.attempts(); n++) {
            attempt = receiver.send(http, t, clock.instant());
            if (attempt.outcome() != Receiver.Outcome.RETRY || n == retry.attempts()) {
                break;
            }
            log.atWarn().setMessage("receiver did not take a transition; retrying").addKeyValue("receiver", receiver.name())
                    .addKeyValue("transition", t.id()).addKeyValue("attempt", n).addKeyValue("answer", attempt.detail()).log();
            if (waitOrStop(retry.after(n))) {
                throw new Stopped(); // leaves the record uncommitted: the next run delivers it
            }
        }
        String outcome = switch (attempt.outcome()) {
            case DELIVERED -> "delivered";
            case REFUSED -> "refused";
            case RETRY -> "undelivered";
        };
        Counter.builder(DELIVERIES).tag("receiver", receiver.name()).tag("outcome", outcome)
                .description("Transitions sent to receivers, by how it ended").register(meters).increment();
        if (attempt.outcome() == Receiver.Outcome.DELIVERED) {
            return;
        }
        DeadLetterReason reason = attempt.outcome() == Receiver.Outcome.REFUSED
                ? DeadLetterReason.ALERT_REFUSED : DeadLetterReason.ALERT_UNDELIVERED;
        log.atError().setMessage("transition dead-lettered").addKeyValue("receiver", receiver.name())
                .addKeyValue("transition", t.id()).addKeyValue("reason", reason).addKeyValue("answer", attempt.detail()).log();
        letters.add(deadLetter(r, reason, "receiver " + receiver.name() + " (" + receiver.endpoint() + "), transition "
                + t.id() + ": " + attempt.detail()));
    }

    private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r, DeadLetterReason reason, String detail) {
        return DeadLetter.newBuilder().setOriginTopic(r.topic()).setOriginPartition(r.partition()).setOriginOffset(r.offset())
                .setReason(reason).setDetail(detail)
                .setRawKey(r.key() == null ? null : ByteBuffer.wrap(r.key()))
                .setRawValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
                .setFailedAt(clock.instant()).build();
    }

    /** The dead letters and the positions after {@code records}, in one transaction. */
    private void commit(List<ConsumerRecord<byte[], byte[]>> records, List<DeadLetter> letters) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        producer.beginTransaction();
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter d = letters.get(i);
            byte[] key = d.getRawKey() == null ? null : bytes(d.getRawKey());
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), key,
                    deadLetters.serialize(Topics.DEAD_LETTERS.name(), d)));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Waits {@code pause}; true when {@link #close()} was called meanwhile. */
    private boolean waitOrStop(Duration pause) {
        try {
            return stop.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Stops reading (a retry in progress gives up at once, leaving its record uncommitted) and waits for the loop to end. */
    @Override
    public void close() {
        stop.countDown();
        consumer.wakeup();
        try {
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The registry did not answer while a record was read: the record is read again later. */
    private static final class RegistryUnavailable extends RuntimeException {
        RegistryUnavailable(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Thrown out of a retry when {@link #close()} is called, so that nothing of its record is committed. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
