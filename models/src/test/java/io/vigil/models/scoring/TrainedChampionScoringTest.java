package io.vigil.models.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.LstmArchitecture;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.ScalingBounds;
import io.vigil.avro.TelemanomSettings;
import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.models.export.ParameterExport;
import io.vigil.models.network.TelemanomNetwork;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.it.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A forecaster trained with Deeplearning4j, exported and released as a champion, scoring a channel
 * through the real topology on a real broker: the scores carry DL4J's own one-step forecasts (from
 * {@code rnnTimeStep}, the independent computation), and a burst injected into the channel becomes
 * one anomaly segment in event time while the nominal sine raises none.
 */
class TrainedChampionScoringTest {

    private static final String CHANNEL = "sat-1";
    private static final LstmArchitecture SHAPE =
            LstmArchitecture.newBuilder().setInputSize(1).setLayers(2).setUnits(16).setOutputSize(1).build();
    private static final double MIN = 15;
    private static final double MAX = 25;
    private static final int PERIOD = 50;
    private static final int POINTS = 900;
    private static final int BURST_FROM = 600;
    private static final int BURST_TO = 615;
    private static final long T0 = 1_700_000_000_000L;
    private static final long INTERVAL = 60_000;
    /** Windows of 200 errors in batches of 20, lS 25: verdicts within a short test. */
    private static final TelemanomSettings SETTINGS = TelemanomSettings.newBuilder().setBatchSize(20)
            .setWindowSize(10).setSmoothingPerc(0.05).setErrorBuffer(10).setPruneP(0.13).setLS(25).build();

    @TempDir
    Path stateDir;

    private static double nominal(int i) {
        return 20 + 5 * Math.sin(2 * Math.PI * i / PERIOD);
    }

    private static double scale(double v) {
        return 2 * (v - MIN) / (MAX - MIN) - 1;
    }

    /**
     * A few seconds of training: a mini-batch of half-period windows at every phase, so each epoch is
     * one short sequence of batched steps (DL4J pays per time step, not per window).
     */
    private static MultiLayerNetwork train() {
        MultiLayerNetwork network = TelemanomNetwork.create(SHAPE, 0.02, 42);
        int windows = PERIOD;
        int length = PERIOD / 2;
        float[] x = new float[windows * length];
        float[] y = new float[windows * length];
        for (int w = 0; w < windows; w++) {
            for (int t = 0; t < length; t++) {
                // Row-major [windows, 1, length]: window w, step t.
                x[w * length + t] = (float) scale(nominal(w + t));
                y[w * length + t] = (float) scale(nominal(w + t + 1));
            }
        }
        long[] shape = {windows, 1, length};
        DataSet data = new DataSet(Nd4j.create(x, shape, 'c'), Nd4j.create(y, shape, 'c'));
        for (int epoch = 0; epoch < 80; epoch++) {
            network.fit(data);
        }
        return network;
    }

    private static double[] telemetry() {
        Random random = new Random(5);
        double[] values = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            values[i] = nominal(i) + (i >= BURST_FROM && i < BURST_TO ? 3 * random.nextGaussian() : 0);
        }
        return values;
    }

    @Test
    void aTrainedChampionScoresWithDl4jsForecastsAndFindsTheBurst() throws Exception {
        long started = System.nanoTime();
        MultiLayerNetwork network = train();
        System.out.printf("trained in %.1f s%n", (System.nanoTime() - started) / 1e9);
        ParameterExport.Export export = ParameterExport.export(network);
        ModelRelease release = ModelRelease.newBuilder().setChannelId(CHANNEL).setVersion(1).setAlias("champion")
                .setArchitecture(export.architecture()).setParameters(export.parameterBuffer())
                .setScaling(ScalingBounds.newBuilder().setMin(MIN).setMax(MAX).build()).setSettings(SETTINGS)
                .setTrainingInfo(Map.of("data", "sine, period " + PERIOD)).setChecksum(export.checksum())
                .setReleasedAt(Instant.ofEpochMilli(T0)).build();
        double[] values = telemetry();
        double[] expected = dl4jForecasts(network, values);

        String scope = "trained-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(2);
            TopologyConfig config = TopologyConfig.from(Settings.of(Map.of(
                    "vigil.bootstrap.servers", kafka.bootstrapServers(),
                    "vigil.schema.registry.url", "mock://" + scope,
                    "vigil.state.dir", stateDir.toString(),
                    "vigil.application.id", "vigil-trained-" + UUID.randomUUID())));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            KafkaStreams streams = new KafkaStreams(VigilTopology.build(config, meters), config.streamsProperties());
            try {
                // All on the broker before the stream thread's first fetch: the timestamps alone decide the order.
                produce(kafka, config, release, values);
                streams.start();
                List<ChannelScore> scores = kafka.readCommitted(Topics.SCORES.name(),
                        AvroSerde.configured(ChannelScore.class, config.serdeConfig(), false).deserializer(), POINTS, Duration.ofSeconds(1));
                List<AnomalyEvent> events = kafka.readCommitted(Topics.ANOMALIES.name(),
                        AvroSerde.configured(AnomalyEvent.class, config.serdeConfig(), false).deserializer(), 2, Duration.ofSeconds(1));

                assertEquals(POINTS, scores.size());
                double worst = 0;
                for (int i = 1; i < POINTS; i++) {
                    ChannelScore s = scores.get(i);
                    assertEquals(Detector.LSTM, s.getDetector());
                    assertEquals(1, s.getModelVersion());
                    worst = Math.max(worst, Math.abs(expected[i] - s.getForecast()));
                }
                System.out.printf("trained 2x16 champion through the topology: max |forecast - DL4J| %.2e%n", worst);
                assertTrue(worst < 1e-4, "forecasts differ from DL4J's by up to " + worst);
                double nominalError = scores.subList(100, BURST_FROM).stream().mapToDouble(ChannelScore::getError)
                        .average().orElseThrow();
                System.out.printf("mean scaled error on the nominal sine %.4f%n", nominalError);
                assertTrue(nominalError < 0.05, "the model learned the sine: mean scaled error " + nominalError);

                assertEquals(List.of(AnomalyStatus.OPEN, AnomalyStatus.CLOSED),
                        events.stream().map(AnomalyEvent::getStatus).toList(), events.toString());
                AnomalyEvent closed = events.get(1);
                long from = time(BURST_FROM - SETTINGS.getErrorBuffer());
                long to = time(BURST_TO + SETTINGS.getErrorBuffer() + PERIOD);
                assertTrue(closed.getStart().toEpochMilli() >= from && closed.getEnd().toEpochMilli() <= to
                        && closed.getStart().toEpochMilli() <= time(BURST_TO), "segment " + closed);
                assertEquals(events.get(0).getStart(), closed.getStart());
            } finally {
                streams.close(Duration.ofSeconds(30));
                MockSchemaRegistry.dropScope(scope);
            }
        }
    }

    /** DL4J's forecast for each point, made by stepping the previous one; NaN for the first. */
    private static double[] dl4jForecasts(MultiLayerNetwork network, double[] values) {
        double[] forecasts = new double[values.length];
        forecasts[0] = Double.NaN;
        network.rnnClearPreviousState();
        for (int i = 0; i + 1 < values.length; i++) {
            INDArray out = network.rnnTimeStep(Nd4j.create(new float[] {(float) scale(values[i])}, new long[] {1, 1, 1}));
            forecasts[i + 1] = MIN + (out.getDouble(0) + 1) / 2 * (MAX - MIN);
        }
        return forecasts;
    }

    private static long time(int i) {
        return T0 + INTERVAL * i;
    }

    /** The release first, timestamped before every point, so the task applies it before the first point. */
    private static void produce(EmbeddedKafka kafka, TopologyConfig config, ModelRelease release, double[] values) {
        var releases = AvroSerde.configured(ModelRelease.class, config.serdeConfig(), false).serializer();
        var points = AvroSerde.configured(TelemetryPoint.class, config.serdeConfig(), false).serializer();
        byte[] key = CHANNEL.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", true,
                "acks", "all", "max.request.size", 2 << 20);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS.name(), null, T0 - 1, key,
                    releases.serialize(Topics.MODELS.name(), release)));
            for (int i = 0; i < values.length; i++) {
                TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(CHANNEL).setSource("test")
                        .setEventTime(Instant.ofEpochMilli(time(i))).setValue(values[i]).build();
                producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), null, time(i), key,
                        points.serialize(Topics.TELEMETRY.name(), point)));
            }
            producer.flush();
        }
    }
}
