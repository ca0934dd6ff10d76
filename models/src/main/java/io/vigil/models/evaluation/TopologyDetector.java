package io.vigil.models.evaluation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.DeadLetter;
import io.vigil.avro.Detector;
import io.vigil.avro.ModelRelease;
import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.models.data.ChannelData;
import io.vigil.schemas.Topics;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.VigilTopology;
import io.vigil.topology.release.ReleaseCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Scores a channel with Vigil's own topology ({@link VigilTopology}, the code the scorer runs) in a
 * {@link TopologyTestDriver}: the channel's model, if any, goes onto the models topic as its champion,
 * every point onto the telemetry topic, and the scores and anomaly events that come out are the
 * detection. Without a model the topology scores with its baseline detector, as it does in production.
 * Predicted segments are the anomaly events: each CLOSED event's start..end, and an OPEN one still open
 * at the end of the series up to its last point.
 */
public final class TopologyDetector implements io.vigil.models.evaluation.Detector {

    private final String name;
    private final boolean withModel;
    private final Map<String, String> settings;

    /**
     * @param name the name in reports
     * @param withModel score with the channel's model (else the baseline)
     * @param settings scorer settings, keys without the {@code vigil.} prefix (e.g.
     *     {@code scoring.model.precision=half})
     */
    public TopologyDetector(String name, boolean withModel, Map<String, String> settings) {
        this.name = name;
        this.withModel = withModel;
        this.settings = Map.copyOf(settings);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean needsModel() {
        return withModel;
    }

    @Override
    public Detection detect(ChannelData channel, ReplayStream stream, ModelRelease model) {
        if (withModel && model == null) {
            throw new IllegalArgumentException(channel.channelId() + ": detector " + name + " needs a trained model");
        }
        String scope = "vigil-evaluate-" + UUID.randomUUID();
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("vigil-evaluate-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return detect(channel, stream, model, scope, stateDir);
        } finally {
            MockSchemaRegistry.dropScope(scope);
            deleteQuietly(stateDir);
        }
    }

    private Detection detect(ChannelData channel, ReplayStream stream, ModelRelease model, String scope, Path stateDir) {
        Map<String, String> all = new HashMap<>();
        all.put("vigil.schema.registry.url", "mock://" + scope);
        all.put("vigil.state.dir", stateDir.toString());
        all.put("vigil.application.id", "vigil-evaluate");
        // Recorded data keeps its own times, which need not be anywhere near today's clock.
        all.put("vigil.time.max.ahead.ms", "0");
        settings.forEach((k, v) -> all.put("vigil." + k, v));
        TopologyConfig config = TopologyConfig.from(Settings.of(all));
        try (TopologyTestDriver driver = new TopologyTestDriver(VigilTopology.build(config, new SimpleMeterRegistry()),
                config.streamsProperties())) {
            byte[] key = channel.channelId().getBytes(StandardCharsets.UTF_8);
            Map<String, Object> serde = config.serdeConfig();
            TestInputTopic<byte[], byte[]> telemetry = driver.createInputTopic(Topics.TELEMETRY.name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            if (withModel) {
                ModelRelease champion = ModelRelease.newBuilder(model)
                        .setAlias(ReleaseCheck.CHAMPION)
                        .setVersion(Math.max(1, model.getVersion()))
                        .build();
                Serializer<ModelRelease> releases = AvroSerde.configured(ModelRelease.class, serde, false).serializer();
                driver.createInputTopic(Topics.MODELS.name(), new ByteArraySerializer(), new ByteArraySerializer())
                        .pipeInput(key, releases.serialize(Topics.MODELS.name(), champion), stream.times()[0]);
            }
            Serializer<TelemetryPoint> points = AvroSerde.configured(TelemetryPoint.class, serde, false).serializer();
            TestOutputTopic<String, ChannelScore> scores = driver.createOutputTopic(Topics.SCORES.name(),
                    new StringDeserializer(), AvroSerde.configured(ChannelScore.class, serde, false).deserializer());
            TestOutputTopic<String, AnomalyEvent> anomalies = driver.createOutputTopic(Topics.ANOMALIES.name(),
                    new StringDeserializer(), AvroSerde.configured(AnomalyEvent.class, serde, false).deserializer());
            TestOutputTopic<byte[], DeadLetter> deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(),
                    new ByteArrayDeserializer(), AvroSerde.configured(DeadLetter.class, serde, false).deserializer());

            int testSize = stream.testSize();
            double[] forecast = nans(testSize);
            double[] smoothed = nans(testSize);
            double[] threshold = nans(testSize);
            List<AnomalyEvent> events = new ArrayList<>();
            ChannelScore lastTestScore = null;
            int scored = 0;
            long started = System.nanoTime();
            for (int i = 0; i < stream.size(); i++) {
                TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(channel.channelId())
                        .setSource("evaluate").setEventTime(Instant.ofEpochMilli(stream.times()[i]))
                        .setValue(stream.values()[i]).setInputs(stream.inputsAt(i)).build();
                if ((i & 1023) == 0 && Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException(channel.channelId() + ": evaluation interrupted");
                }
                telemetry.pipeInput(key, points.serialize(Topics.TELEMETRY.name(), point), stream.times()[i]);
                // Drained as it goes: the driver's output queues would otherwise hold every record.
                for (ChannelScore s : scores.readValuesToList()) {
                    int at = stream.indexAtOrBefore(s.getEventTime().toEpochMilli()) - stream.testOffset();
                    scored++;
                    if (at >= 0) {
                        forecast[at] = s.getForecast();
                        smoothed[at] = s.getSmoothedError();
                        threshold[at] = s.getThreshold();
                        lastTestScore = s;
                    }
                }
                events.addAll(anomalies.readValuesToList());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            List<DeadLetter> letters = deadLetters.readValuesToList();
            for (DeadLetter letter : letters) {
                if (letter.getOriginTopic().equals(Topics.MODELS.name())) {
                    throw new IllegalStateException(channel.channelId() + ": the model was not applied: "
                            + letter.getReason() + ": " + letter.getDetail());
                }
            }
            if (scored != stream.size() || !letters.isEmpty()) {
                throw new IllegalStateException(channel.channelId() + ": " + stream.size() + " points gave " + scored
                        + " scores and " + letters.size() + " dead letters"
                        + (letters.isEmpty() ? "" : " (first: " + letters.get(0).getReason() + ": " + letters.get(0).getDetail() + ")"));
            }
            String scoredBy = lastTestScore == null ? null : lastTestScore.getDetector() == Detector.LSTM
                    ? "LSTM v" + lastTestScore.getModelVersion() : lastTestScore.getDetector().name();
            if (withModel && (scoredBy == null || !scoredBy.startsWith("LSTM"))) {
                throw new IllegalStateException(channel.channelId() + ": the model was not applied, the test series was"
                        + " scored by " + scoredBy);
            }
            return new Detection(name, scoredBy, forecast, smoothed, threshold, segments(events, stream),
                    stream.size() / Math.max(seconds, 1e-9));
        }
    }

    /** Segments of the test series from the anomaly events, in test indices. */
    static List<Segment> segments(List<AnomalyEvent> events, ReplayStream stream) {
        Map<Long, Long> ends = new HashMap<>();
        for (AnomalyEvent e : events) {
            long start = e.getStart().toEpochMilli();
            if (e.getStatus() == AnomalyStatus.CLOSED) {
                ends.put(start, e.getEnd().toEpochMilli());
            } else {
                ends.putIfAbsent(start, Long.MIN_VALUE);
            }
        }
        List<Segment> segments = new ArrayList<>();
        int last = stream.size() - 1;
        ends.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            int first = stream.indexAtOrBefore(e.getKey());
            int end = e.getValue() == Long.MIN_VALUE ? last : stream.indexAtOrBefore(e.getValue());
            int from = Math.max(first, stream.testOffset()) - stream.testOffset();
            int to = end - stream.testOffset();
            if (to >= from) {
                segments.add(new Segment(from, to));
            }
        });
        return merged(segments);
    }

    /** Sorted, with overlapping or touching segments joined. */
    static List<Segment> merged(List<Segment> segments) {
        List<Segment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingInt(Segment::first));
        List<Segment> out = new ArrayList<>();
        for (Segment s : sorted) {
            Segment prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && s.first() <= prev.last() + 1) {
                out.set(out.size() - 1, new Segment(prev.first(), Math.max(prev.last(), s.last())));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
