package io.vigil.replay;

import io.vigil.avro.TelemetryPoint;
import io.vigil.config.Settings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Replays {@code timestamp,value} CSV series as telemetry, keyed by channel id, at a speed factor.
 * Broker and registry come from settings ({@code VIGIL_BOOTSTRAP_SERVERS}, {@code
 * VIGIL_SCHEMA_REGISTRY_URL}); what to replay and how fast from the command line.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay CSV series (timestamp,value) into Vigil's telemetry topic.")
public final class ReplayProducer implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ReplayProducer.class);

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "CSV files; each becomes a channel named after the file.")
    List<Path> files;

    @Option(names = "--speed", defaultValue = "1", description = "Speed factor: 1 = real time, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--loop", description = "Start over when the data ends, with event times moving on.")
    boolean loop;

    @Option(names = "--align-now", description = "Shift every series so it starts now, keeping its spacing.")
    boolean alignNow;

    @Option(names = "--source", defaultValue = "replay", description = "Source recorded on each point (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--strict", description = "Fail on rows whose timestamp does not increase instead of skipping them.")
    boolean strict;

    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many points; 0 = no limit.")
    long limit;

    @Option(names = "--progress-seconds", defaultValue = "5", description = "Seconds between progress lines.")
    int progressSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplayProducer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = Settings.fromSystem();
        String bootstrap = settings.get("bootstrap.servers", "localhost:9092");
        Map<String, Object> serdeConfig = Map.of("schema.registry.url",
                settings.get("schema.registry.url", "http://localhost:8081"));
        List<CsvSeries> series = new ArrayList<>();
        for (Path file : files) {
            CsvSeries loaded = CsvSeries.load(file, CsvSeries.channelIdOf(file), strict);
            if (!loaded.skippedRows().isEmpty()) {
                log.atWarn().setMessage("skipped rows whose timestamp does not increase")
                        .addKeyValue("file", file).addKeyValue("count", loaded.skippedRows().size())
                        .addKeyValue("first", loaded.skippedRows().get(0)).log();
            }
            series.add(loaded);
        }
        ReplaySchedule schedule = new ReplaySchedule(series, speed, loop, alignNow ? System.currentTimeMillis() : null);
        var serializer = AvroSerde.configured(TelemetryPoint.class, serdeConfig, false).serializer();

        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long started = System.nanoTime();
        long nextProgress = started + TimeUnit.SECONDS.toNanos(progressSeconds);
        long lastProgressCount = 0;
        long lastProgressTime = started;
        Thread mainThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(mainThread::interrupt));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ReplaySchedule.Point p : schedule) {
                if (failure.get() != null || Thread.currentThread().isInterrupted() || (limit > 0 && sent >= limit)) {
                    break;
                }
                long due = started + p.dueNanos();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                TelemetryPoint point = TelemetryPoint.newBuilder().setChannelId(p.channelId()).setSource(source)
                        .setEventTime(Instant.ofEpochMilli(p.eventTime())).setValue(p.value()).build();
                producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), null, p.eventTime(),
                        p.channelId().getBytes(StandardCharsets.UTF_8), serializer.serialize(Topics.TELEMETRY.name(), point)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                sent++;
                long now = System.nanoTime();
                if (now >= nextProgress) {
                    double rate = (sent - lastProgressCount) * 1e9 / (now - lastProgressTime);
                    log.atInfo().setMessage("progress").addKeyValue("sent", sent)
                            .addKeyValue("ratePerSec", Math.round(rate))
                            .addKeyValue("behindMs", Math.max(0, (now - due) / 1_000_000)).log();
                    lastProgressCount = sent;
                    lastProgressTime = now;
                    nextProgress = now + TimeUnit.SECONDS.toNanos(progressSeconds);
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            log.atError().setMessage("replay failed").addKeyValue("sent", sent)
                    .addKeyValue("error", failure.get().toString()).log();
            return 2;
        }
        log.atInfo().setMessage("replay done").addKeyValue("sent", sent).addKeyValue("channels", series.size())
                .addKeyValue("seconds", String.format("%.1f", seconds))
                .addKeyValue("ratePerSec", Math.round(sent / Math.max(seconds, 1e-9))).log();
        return 0;
    }

    private static Map<String, Object> producerConfig(String bootstrap) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // Bounded: a broker that stays away fails the replay instead of hanging it.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    }
}
