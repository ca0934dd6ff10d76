package io.vigil.topology.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroTrust;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.deadletter.DeadLetters;
import io.vigil.topology.intake.Received;
import io.vigil.topology.release.ModelCache;
import io.vigil.topology.release.ModelKeeper;
import io.vigil.topology.scoring.BaselineDetector;
import io.vigil.topology.scoring.ScoringProcessor;
import io.vigil.topology.scoring.ScoringSettings;
import io.vigil.topology.scoring.TestModels;
import io.vigil.topology.scoring.drift.DriftReference;
import io.vigil.topology.scoring.lstm.LstmParameters;
import io.vigil.topology.scoring.telemanom.ThresholdSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scoring cost per point: the real {@link ScoringProcessor} over real RocksDB stores (Kafka Streams'
 * own store stack: metered, RocksDB; changelogging off because a {@link MockProcessorContext} has no
 * producer, so changelog sends are not in the figure: see the bytes written per point), with 2x80
 * models of distinct weights for every channel and the channels' points interleaved, so every step
 * streams its channel's weights from memory. Each point costs a descriptor read, the state record
 * read, a tail entry written, the LSTM step and the threshold upkeep (the record and a chunk
 * written and a window decision every 70th point of a channel, amortized), and with {@code drift} the
 * drift window's update. One thread, so ops/s is points per second per core.
 *
 * <p>Channels start in steady state: one channel is scored past its first threshold window and its
 * state record and window entries are copied to the others, so no measured point is in a warm-up.
 *
 * <pre>
 * # build the benchmark (the JMH annotation processor runs at test-compile), then run it:
 * mvn -q -pl topology test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main ScoringBench"
 * # short run (about a minute and a half):
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main ScoringBench -wi 1 -w 3s -i 2 -r 3s -p channels=1000 -p precision=FLOAT32"
 * # what the drift window costs a scored point: drift=true against drift=false in one run
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main ScoringBench -p channels=1000 -p precision=FLOAT32"
 * </pre>
 *
 * The {@code channels=1} case is the same work with one channel's weights hot in cache: the ceiling a
 * per-channel batching of points could approach.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class ScoringBench {

    private static final LstmArchitecture SHAPE = TestModels.shape(2, 80);
    private static final ThresholdSettings SETTINGS = ThresholdSettings.DEFAULT;
    private static final long T0 = 1_700_000_000_000L;
    private static final long INTERVAL = 60_000;

    @Param({"1000", "1"})
    int channels;

    @Param({"FLOAT32", "HALF"})
    LstmParameters.Precision precision;

    /** Whether the models carry a quantile sketch, so every point also updates its channel's drift window. */
    @Param({"true", "false"})
    boolean drift;

    private Path stateDir;
    private final List<KeyValueStore<?, ?>> stores = new ArrayList<>();
    private MockProcessorContext<Object, Object> context;
    private ScoringProcessor scorer;
    private SimpleMeterRegistry meters;
    private String[] ids;
    private long round;
    private int next;
    private long points;
    private double bytesAtStart;
    private long cpuAtStart;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // Release builders resolve the scaling source's enum default by class, which Avro checks for trust;
        // the tests' JVMs trust the package by a system property, this fork the way the processes do.
        AvroTrust.trustPackagesOf(ModelRelease.class, ModelRelease.getClassSchema());
        stateDir = Files.createTempDirectory("scoring-bench");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scoring-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        KeyValueStore<String, byte[]> states = store(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VigilTopology.CHANNEL_STATE_STORE), Serdes.String(), Serdes.ByteArray()));
        KeyValueStore<String, byte[]> window = store(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(VigilTopology.WINDOW_STORE), Serdes.String(), Serdes.ByteArray()));
        store(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(VigilTopology.MODEL_STORE), Serdes.String(),
                Serdes.ByteArray()));
        store(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VigilTopology.MODEL_PARAMETERS_STORE),
                Serdes.String(), Serdes.ByteArray()));

        meters = new SimpleMeterRegistry();
        DeadLetters deadLetters = new DeadLetters(VigilTopology.DEAD_LETTER_SINK, meters);
        ModelCache cache = new ModelCache(Math.max(channels, 1), precision, meters);
        ModelKeeper keeper = new ModelKeeper(VigilTopology.MODEL_STORE, VigilTopology.MODEL_PARAMETERS_STORE, cache,
                deadLetters, meters);
        keeper.init(context);
        scorer = new ScoringProcessor(new ScoringProcessor.Stores(VigilTopology.CHANNEL_STATE_STORE,
                VigilTopology.WINDOW_STORE, VigilTopology.MODEL_STORE, VigilTopology.MODEL_PARAMETERS_STORE),
                new BaselineDetector(BaselineDetector.Settings.DEFAULT), ScoringSettings.DEFAULT, cache, deadLetters,
                VigilTopology.SCORES_SINK, VigilTopology.ANOMALIES_SINK, meters);
        scorer.init(context);
        context.setRecordMetadata(Topics.TELEMETRY.name(), 0, 0);

        ids = new String[channels];
        for (int c = 0; c < channels; c++) {
            ids[c] = "channel-" + c;
            ModelRelease.Builder release = TestModels.champion(ids[c], 1, SHAPE, TestModels.randomParameters(SHAPE, c),
                    -1.5, 1.5, SETTINGS);
            if (drift) {
                release.setValueQuantiles(sketch(c));
            }
            keeper.process(new Record<>(ids[c], new Received<>(release.build(), null, null), 0L));
        }
        // Past the warm-up and the first window, then a few batches more.
        long steadyState = SETTINGS.lS() + SETTINGS.windowLength() + 3L * SETTINGS.batchSize();
        for (round = 0; round < steadyState; round++) {
            score(0);
        }
        copyChannelState(states, window);
        points = 0;
        bytesAtStart = bytesWritten();
        cpuAtStart = processCpuNanos();
    }

    /** The sketch of the scaled values {@link #score} sends channel {@code c}: a sine's, between -0.7 and 0.7. */
    private static List<Float> sketch(int c) {
        float[] values = new float[4000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((Math.sin(i / 40.0 + c) + 0.03) / 1.5);
        }
        return DriftReference.of(values).toRelease();
    }

    /** CPU time of every thread of this JVM: the scoring thread, RocksDB's flushes and compactions, GC, JIT. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private <T extends KeyValueStore<?, ?>> T store(StoreBuilder<T> builder) {
        T store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        stores.add(store);
        return store;
    }

    /**
     * Gives every channel channel 0's record and window entries (chunks and the tail scored since the
     * record), so all start in the same steady state.
     */
    private void copyChannelState(KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> window) {
        byte[] record = states.get(ids[0]);
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = window.prefixScan(ids[0] + "/", Serdes.String().serializer())) {
            it.forEachRemaining(entries::add);
        }
        long chunks = entries.stream().filter(e -> e.key.startsWith(ids[0] + "/c")).count();
        if (chunks != SETTINGS.windowSize()) {
            throw new IllegalStateException("expected a full window, found " + chunks + " chunks");
        }
        for (int c = 1; c < channels; c++) {
            states.put(ids[c], record);
            for (KeyValue<String, byte[]> entry : entries) {
                window.put(ids[c] + entry.key.substring(ids[0].length()), entry.value);
            }
        }
    }

    private void score(int channel) {
        long time = T0 + round * INTERVAL;
        double value = Math.sin(round / 40.0 + channel) + 0.01 * ((round * 31 + channel) % 7);
        TelemetryPoint point = new TelemetryPoint(ids[channel], "bench", Instant.ofEpochMilli(time), value, List.of());
        byte[] key = ids[channel].getBytes(StandardCharsets.UTF_8);
        scorer.process(new Record<>(ids[channel], new Received<>(point, key, null), time));
        context.resetForwards();
    }

    @Benchmark
    public void scorePoint() {
        score(next);
        points++;
        if (++next == channels) {
            next = 0;
            round++;
        }
    }

    private double bytesWritten() {
        return meters.get("vigil.scoring.state.bytes.written").counter().count();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n[%d channels, %s] over %d points: state bytes written per point %.0f;"
                        + " process CPU per point %.1f us (all threads, warm-up included)%n", channels, precision, points,
                (bytesWritten() - bytesAtStart) / points, (processCpuNanos() - cpuAtStart) / 1e3 / points);
        for (KeyValueStore<?, ?> store : stores) {
            store.close();
        }
        Utils.delete(stateDir.toFile());
    }
}
