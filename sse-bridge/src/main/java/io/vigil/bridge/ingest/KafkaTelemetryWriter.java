package io.vigil.bridge.ingest;

import io.vigil.avro.TelemetryPoint;
import io.vigil.config.ClientSettings;
import io.vigil.config.HostName;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.RegistryException;
import io.vigil.schemas.serde.AvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Writes each batch in one Kafka transaction, so that the scorer (read_committed, under exactly-once)
 * sees all of a batch or none of it, whatever the partitions its channels hash to. Requests write at
 * once up to the number of producers, each producer with a transactional id of its own; a producer is
 * created on first use, so a bridge started while Kafka is away starts, answers 503 and writes once
 * Kafka is back. A producer that fails in a way its transaction cannot be aborted from (fenced, a
 * timeout) is closed and replaced on next use; its replacement's {@code initTransactions} aborts
 * whatever the failed one left open, and until then the transaction timeout (three Kafka timeouts)
 * bounds how long an open transaction can hold read_committed readers back on its partitions.
 *
 * <p>Values are encoded (and their schema looked up in the registry) before a transaction begins, so a
 * registry that is away costs no transaction.
 */
public final class KafkaTelemetryWriter implements TelemetryWriter {

    private static final Logger log = LoggerFactory.getLogger(KafkaTelemetryWriter.class);

    private final String topic;
    private final Serializer<TelemetryPoint> values;
    private final IntFunction<Producer<String, byte[]>> producers;
    private final BlockingQueue<Slot> free;
    private final Slot[] slots;
    private final Duration timeout;

    KafkaTelemetryWriter(String topic, Serializer<TelemetryPoint> values, IntFunction<Producer<String, byte[]>> producers,
                         int size, Duration timeout) {
        this.topic = topic;
        this.values = values;
        this.producers = producers;
        this.timeout = timeout;
        this.slots = new Slot[size];
        this.free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot(i);
            free.add(slots[i]);
        }
    }

    /** A writer of the telemetry topic through the configured Kafka and registry. */
    public static KafkaTelemetryWriter create(ClientSettings clients, IngestSettings settings) {
        String idPrefix = settings.transactionalIdPrefix() + "-" + HostName.get();
        int timeoutMs = Math.toIntExact(settings.kafkaTimeout().toMillis());
        IntFunction<Producer<String, byte[]>> factory = slot -> new KafkaProducer<>(clients.producer(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, clients.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "vigil-bridge-ingest-" + slot,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, idPrefix + "-" + slot,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // A request waits for its commit anyway: batching across requests would only delay it.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeoutMs,
                // An abandoned transaction (a bridge killed mid-request) holds the scorer back on its
                // partitions until it times out: keep that short, not Kafka's minute.
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 3 * timeoutMs)),
                new StringSerializer(), new ByteArraySerializer());
        Serializer<TelemetryPoint> values = AvroSerde.configured(TelemetryPoint.class,
                clients.registry().serdeConfig(), false).serializer();
        return new KafkaTelemetryWriter(Topics.TELEMETRY.name(), values, factory, settings.producers(),
                settings.kafkaTimeout());
    }

    @Override
    public void write(List<TelemetryPoint> points) throws Unavailable, Unwritable {
        byte[][] encoded = new byte[points.size()][];
        try {
            for (int i = 0; i < encoded.length; i++) {
                encoded[i] = values.serialize(topic, points.get(i));
            }
        } catch (RegistryException e) {
            // The serializer lets only transient registry failures through as such (5xx, no answer).
            throw new Unavailable("the schema registry did not answer: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new Unwritable("the points cannot be encoded: " + e.getMessage(), e);
        }
        Slot slot;
        try {
            slot = free.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for a producer", e);
        }
        if (slot == null) {
            throw new Unavailable("all " + slots.length + " ingest producers stayed busy for " + timeout.toMillis() + " ms", null);
        }
        try {
            slot.write(points, encoded);
        } finally {
            free.add(slot);
        }
    }

    @Override
    public void close() {
        for (Slot slot : slots) {
            synchronized (slot) {
                slot.discard();
            }
        }
    }

    /** One transactional producer; used by one request at a time (it is taken from {@link #free}). */
    private final class Slot {
        private final int index;
        private Producer<String, byte[]> producer;

        Slot(int index) {
            this.index = index;
        }

        synchronized void write(List<TelemetryPoint> points, byte[][] encoded) throws Unavailable, Unwritable {
            if (producer == null) {
                try {
                    producer = producers.apply(index);
                    producer.initTransactions();
                } catch (AuthorizationException e) {
                    discard();
                    throw new Unwritable("Kafka refused this client: " + e.getMessage(), e);
                } catch (KafkaException e) {
                    // A bootstrap address that does not resolve yet fails the constructor: it may pass.
                    discard();
                    throw new Unavailable("Kafka did not answer: " + e.getMessage(), e);
                }
            }
            try {
                producer.beginTransaction();
                for (int i = 0; i < encoded.length; i++) {
                    producer.send(new ProducerRecord<>(topic, points.get(i).getChannelId(), encoded[i]));
                }
                producer.commitTransaction();
            } catch (AuthorizationException e) {
                discard();
                throw new Unwritable("Kafka refused this client: " + e.getMessage(), e);
            } catch (ProducerFencedException | OutOfOrderSequenceException | UnsupportedVersionException
                     | TimeoutException | IllegalStateException e) {
                // Not abortable, or not known to be: a new producer's initTransactions settles it.
                log.atWarn().setMessage("ingest producer replaced").addKeyValue("slot", index)
                        .addKeyValue("error", e.toString()).log();
                discard();
                throw new Unavailable("Kafka did not take the batch: " + e.getMessage(), e);
            } catch (KafkaException e) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException abortFailed) {
                    discard();
                }
                throw new Unavailable("Kafka did not take the batch: " + e.getMessage(), e);
            }
        }

        void discard() {
            if (producer != null) {
                try {
                    producer.close(Duration.ZERO);
                } catch (KafkaException e) {
                    log.debug("closing an ingest producer failed", e);
                }
                producer = null;
            }
        }
    }
}
