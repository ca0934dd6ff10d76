package io.vigil.topology.property;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.Heartbeat;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.NodeStatus;
import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.release.ModelDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The real topology ({@link VigilTopology#build}) in a {@link TopologyTestDriver}, fed raw bytes on its
 * three input topics, with everything it writes collected. One harness per try: a fresh registry scope,
 * a fresh state directory, a fresh driver.
 *
 * <p>Every {@code pipe*} call returns the exception that escaped the driver, or null: the properties
 * decide what an escaped exception means, the harness never swallows one silently.
 */
final class Harness implements AutoCloseable {

    /** The wall clock the driver starts at: this machine's, so that "near now" means near the real clock. */
    static final long WALL_CLOCK_START = System.currentTimeMillis() / 1000 * 1000;

    private final String scope = "property-" + UUID.randomUUID();
    private final Path stateDir;
    private final TopologyTestDriver driver;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestInputTopic<byte[], byte[]> telemetry;
    private final TestInputTopic<byte[], byte[]> models;
    private final TestInputTopic<byte[], byte[]> heartbeats;
    private final TestOutputTopic<String, ChannelScore> scores;
    private final TestOutputTopic<String, AnomalyEvent> anomalies;
    private final TestOutputTopic<byte[], DeadLetter> deadLetters;
    private final TestOutputTopic<String, NodeStatus> statuses;
    final Serializer<TelemetryPoint> pointSerializer;
    final Serializer<ModelRelease> releaseSerializer;
    final Serializer<Heartbeat> heartbeatSerializer;
    final Serializer<ChannelScore> scoreSerializer;
    final Deserializer<TelemetryPoint> pointDeserializer;
    final Deserializer<ModelRelease> releaseDeserializer;
    final Deserializer<Heartbeat> heartbeatDeserializer;
    private final List<ChannelScore> scored = new ArrayList<>();
    private final List<AnomalyEvent> events = new ArrayList<>();
    private final List<DeadLetter> letters = new ArrayList<>();
    private final List<NodeStatus> changes = new ArrayList<>();
    private long telemetryOffset;
    private long modelsOffset;
    private long heartbeatsOffset;
    /** A call that takes longer than this is taken to be an endless loop (generous: CI shares 2 cores). */
    static final long HANG_MS = 30_000;
    private static final String WORKER_NAME = "property-driver";
    private final ExecutorService worker;
    private volatile Thread workerThread;
    private boolean hung;

    /** @param settings extra settings, keys without the {@code vigil.} prefix */
    Harness(Map<String, String> settings) {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, WORKER_NAME);
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
        try {
            stateDir = Files.createTempDirectory("vigil-property-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new HashMap<>();
        all.put("vigil.schema.registry.url", "mock://" + scope);
        all.put("vigil.state.dir", stateDir.toString());
        all.put("vigil.metrics.port", "0");
        settings.forEach((k, v) -> all.put("vigil." + k, v));
        TopologyConfig config = TopologyConfig.from(Settings.of(all));
        // Created, used and closed on the worker: Kafka Streams owns the task directory by thread name, and
        // a driver closed from another thread leaves its RocksDB stores (and their files) open.
        try {
            driver = worker.submit(() -> new TopologyTestDriver(VigilTopology.build(config, meters),
                    config.streamsProperties(), Instant.ofEpochMilli(WALL_CLOCK_START))).get();
        } catch (ExecutionException e) {
            worker.shutdownNow();
            throw new IllegalStateException("the topology did not start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        telemetry = driver.createInputTopic(Topics.TELEMETRY.name(), new ByteArraySerializer(), new ByteArraySerializer());
        models = driver.createInputTopic(Topics.MODELS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        heartbeats = driver.createInputTopic(Topics.HEARTBEATS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> serde = config.serdeConfig();
        scores = driver.createOutputTopic(Topics.SCORES.name(), new StringDeserializer(),
                AvroSerde.configured(ChannelScore.class, serde, false).deserializer());
        anomalies = driver.createOutputTopic(Topics.ANOMALIES.name(), new StringDeserializer(),
                AvroSerde.configured(AnomalyEvent.class, serde, false).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), new ByteArrayDeserializer(),
                AvroSerde.configured(DeadLetter.class, serde, false).deserializer());
        statuses = driver.createOutputTopic(Topics.NODE_STATUS.name(), new StringDeserializer(),
                AvroSerde.configured(NodeStatus.class, serde, false).deserializer());
        pointSerializer = AvroSerde.configured(TelemetryPoint.class, serde, false).serializer();
        releaseSerializer = AvroSerde.configured(ModelRelease.class, serde, false).serializer();
        heartbeatSerializer = AvroSerde.configured(Heartbeat.class, serde, false).serializer();
        scoreSerializer = AvroSerde.configured(ChannelScore.class, serde, false).serializer();
        pointDeserializer = AvroSerde.configured(TelemetryPoint.class, serde, false).deserializer();
        releaseDeserializer = AvroSerde.configured(ModelRelease.class, serde, false).deserializer();
        heartbeatDeserializer = AvroSerde.configured(Heartbeat.class, serde, false).deserializer();
    }

    // ---------------------------------------------------------------- input

    /** Pipes one telemetry record; returns its offset. The exception that escaped, if any, goes to {@code escaped}. */
    long pipeTelemetry(byte[] key, byte[] value, long timestamp, List<Escape> escaped) {
        long offset = telemetryOffset++;
        run(Topics.TELEMETRY.name(), offset, () -> telemetry.pipeInput(key, value, timestamp), escaped);
        return offset;
    }

    long pipeModel(byte[] key, byte[] value, long timestamp, List<Escape> escaped) {
        long offset = modelsOffset++;
        run(Topics.MODELS.name(), offset, () -> models.pipeInput(key, value, timestamp), escaped);
        return offset;
    }

    long pipeHeartbeat(byte[] key, byte[] value, long timestamp, List<Escape> escaped) {
        long offset = heartbeatsOffset++;
        run(Topics.HEARTBEATS.name(), offset, () -> heartbeats.pipeInput(key, value, timestamp), escaped);
        return offset;
    }

    /** Advances the driver's wall clock (wall-clock punctuation runs); an escaped exception goes to {@code escaped}. */
    void advanceWallClock(long ms, List<Escape> escaped) {
        run("wall-clock", -1, () -> driver.advanceWallClockTime(Duration.ofMillis(ms)), escaped);
    }

    /** Whether an earlier input never returned: the driver is then left alone. */
    boolean hung() {
        return hung;
    }

    /**
     * Runs one driver call on the worker thread and waits for it. Whatever it throws (errors too) is
     * an escape; a call that does not return within {@link #HANG_MS} is one as well ({@link Hang}, with
     * the worker's stack), the worker is stopped where the JVM still allows it, and every later call
     * is refused, since the driver is stuck in the middle of a record.
     */
    private void run(String topic, long offset, Runnable call, List<Escape> escaped) {
        if (hung) {
            escaped.add(new Escape(topic, offset, new IllegalStateException("not sent: the driver hung on an earlier input")));
            return;
        }
        Future<?> done = worker.submit(call);
        try {
            done.get(HANG_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            escaped.add(new Escape(topic, offset, e.getCause()));
        } catch (TimeoutException e) {
            hung = true;
            Hang hang = new Hang(topic, offset, workerThread.getStackTrace());
            escaped.add(new Escape(topic, offset, hang));
            stopWorker();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A driver call that did not return: most likely an endless loop. */
    static final class Hang extends RuntimeException {
        Hang(String topic, long offset, StackTraceElement[] where) {
            super("the driver did not return within " + HANG_MS + " ms from " + topic + "@" + offset
                    + " (an endless loop?); the worker was at " + frames(where));
            setStackTrace(where);
        }

        private static String frames(StackTraceElement[] where) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < where.length && i < 40; i++) {
                String frame = where[i].toString();
                if (i < 2 || frame.contains("io.vigil") || frame.contains("Punctuat")) {
                    out.append(out.length() == 0 ? "" : " < ").append(frame);
                }
            }
            return out.toString();
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stopWorker() {
        try {
            workerThread.stop(); // Java 17: ThreadDeath unwinds the loop; later JDKs refuse, the daemon then spins on
        } catch (UnsupportedOperationException ignored) {
            // nothing else can stop it
        }
        worker.shutdownNow();
    }

    /** An exception that reached the driver while it processed input {@code offset} of {@code topic}. */
    record Escape(String topic, long offset, Throwable error) {
        @Override
        public String toString() {
            return topic + "@" + offset + " threw " + describe(error);
        }
    }

    /** The exception's class and message, then those of its causes, and the frame that threw the innermost. */
    static String describe(Throwable error) {
        StringBuilder out = new StringBuilder();
        Throwable root = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (out.length() > 0) {
                out.append(" <- caused by ");
            }
            String message = String.valueOf(t.getMessage());
            out.append(t.getClass().getName()).append(": ")
                    .append(message.length() > 300 ? message.substring(0, 300) + "..." : message);
            root = t;
            if (t.getCause() == t) {
                break;
            }
        }
        StackTraceElement[] frames = root.getStackTrace();
        for (int i = 0; i < Math.min(3, frames.length); i++) {
            out.append(i == 0 ? " at " : " < ").append(frames[i]);
        }
        return out.toString();
    }

    static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    // ---------------------------------------------------------------- output

    List<ChannelScore> scores() {
        scored.addAll(scores.readValuesToList());
        return scored;
    }

    List<AnomalyEvent> anomalies() {
        events.addAll(anomalies.readValuesToList());
        return events;
    }

    List<DeadLetter> deadLetters() {
        letters.addAll(deadLetters.readValuesToList());
        return letters;
    }

    List<DeadLetter> deadLettersOf(String topic) {
        return deadLetters().stream().filter(d -> d.getOriginTopic().equals(topic)).toList();
    }

    List<NodeStatus> statuses() {
        changes.addAll(statuses.readValuesToList());
        return changes;
    }

    /** The channel's champion as the model store holds it, or null. */
    ModelDescriptor descriptor(String channel) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(VigilTopology.MODEL_STORE);
        byte[] bytes = store.get(channel);
        return bytes == null ? null : ModelDescriptor.fromBytes(bytes);
    }

    /** The raw descriptor bytes of the channel's champion, or null. */
    byte[] descriptorBytes(String channel) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(VigilTopology.MODEL_STORE);
        return store.get(channel);
    }

    /** The count of a counter, 0 if it was never registered. */
    double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Heartbeats the liveness processor took into node state: the sum of every node's {@code beats}.
     * The node record is package-private, so its accessor is called reflectively.
     */
    long absorbedHeartbeats() {
        KeyValueStore<String, Object> store = driver.getKeyValueStore(VigilTopology.NODE_STORE);
        long total = 0;
        try (KeyValueIterator<String, Object> it = store.all()) {
            while (it.hasNext()) {
                Object record = it.next().value;
                try {
                    Method beats = record.getClass().getDeclaredMethod("beats");
                    beats.setAccessible(true);
                    total += (long) beats.invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("node record without beats(): " + record.getClass(), e);
                }
            }
        }
        return total;
    }

    @Override
    public void close() {
        try {
            if (!hung) {
                worker.submit(driver::close).get(HANG_MS, TimeUnit.MILLISECONDS);
            } else {
                workerThread.join(HANG_MS); // let the stopped worker unwind before anything is closed or deleted
                // The stopped worker's namesake may close what the driver holds, if it is not stuck itself.
                Thread closer = new Thread(driver::close, WORKER_NAME);
                closer.setDaemon(true);
                closer.start();
                closer.join(HANG_MS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException ignored) {
            // A driver left broken by an escaped exception may fail to close; the try has failed already.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            worker.shutdownNow();
            MockSchemaRegistry.dropScope(scope);
            deleteRecursively(stateDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp dir
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
