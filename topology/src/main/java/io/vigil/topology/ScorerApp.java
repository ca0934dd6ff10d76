package io.vigil.topology;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.config.ConnectionCheck;
import io.vigil.config.Settings;
import io.vigil.metrics.ProbeServer;
import io.vigil.metrics.ServiceMeters;
import io.vigil.topology.lifecycle.StreamsStateMeters;
import io.vigil.topology.topics.TopicsCommand;
import io.vigil.topology.lifecycle.ScorerHealth;
import io.vigil.topology.lifecycle.ThreadReplacements;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer service: runs {@link VigilTopology} until SIGTERM, and serves Prometheus metrics on
 * {@code /metrics} and its probes on {@code /health} (live) and {@code /ready} (RUNNING, stores
 * restored), see {@link ScorerHealth}.
 *
 * <p>It lives and dies in a way a supervisor can act on: a failed stream thread is replaced within
 * {@link ThreadReplacements}' limit; past it, or when Streams reaches ERROR or stops without being
 * asked to, the process exits with {@value #EXIT_FAILED}; when Kafka or the registry refuses it at start-up,
 * with {@link ConnectionCheck}'s status. SIGTERM closes Streams within the configured
 * timeout (shorter than the pod's grace period), then exits 0.
 */
public final class ScorerApp {

    /** Exit status when the scorer stopped without being asked to. */
    static final int EXIT_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(ScorerApp.class);

    public static void main(String[] args) throws Exception {
        // The same image provisions the topics (a Kubernetes Job runs it with the argument "topics").
        if (args.length > 0 && args[0].equals("topics")) {
            System.exit(TopicsCommand.run(Settings.fromSystem(), System.out, System.err));
        }
        if (args.length > 0) {
            System.err.println("usage: ScorerApp [topics]   (no argument: run the scorer)");
            System.exit(2);
        }
        long started = System.nanoTime();
        Settings settings = Settings.fromSystem();
        TopologyConfig config = TopologyConfig.from(settings);
        settings.warnUnknownKeys();
        log.atInfo().setMessage("connecting").addKeyValue("clients", config.clients()).log();
        ConnectionCheck.runOrExit(config.clients(), log);
        TopologyConfig.Lifecycle lifecycle = config.lifecycle();
        ServiceMeters serviceMeters = new ServiceMeters("scorer");
        PrometheusMeterRegistry meters = serviceMeters.registry();

        // Without --add-modules jdk.incubator.vector the LSTM runs the plain-Java pass, about 2x slower.
        log.atInfo().setMessage("LSTM forward pass").addKeyValue("pass", LstmForwardPasses.best()).log();
        KafkaStreams streams = new KafkaStreams(VigilTopology.build(config, meters), config.streamsProperties());
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        StreamsStateMeters.bind(streams, meters);
        streams.setUncaughtExceptionHandler(new ThreadReplacements(lifecycle.threadMaxFailures(),
                Duration.ofMillis(lifecycle.threadFailureWindowMs()), System::currentTimeMillis));
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            log.atInfo().setMessage("streams state").addKeyValue("from", before).addKeyValue("to", now).log();
            if (now == KafkaStreams.State.RUNNING) {
                log.atInfo().setMessage("scorer running")
                        .addKeyValue("startupMs", (System.nanoTime() - started) / 1_000_000).log();
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        ProbeServer http = config.metricsPort() > 0
                ? serve(config.metricsPort(), meters, ScorerHealth.of(streams)) : null;

        AtomicBoolean stopAsked = new AtomicBoolean();
        Duration closeTimeout = Duration.ofMillis(lifecycle.closeTimeoutMs());
        Thread shutdown = new Thread(() -> {
            stopAsked.set(true);
            close(streams, closeTimeout);
            streamsMetrics.close();
            if (http != null) {
                http.close();
            }
            serviceMeters.close();
        }, "scorer-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        streams.start();
        stopped.await();
        if (stopAsked.get()) {
            return;
        }
        // ERROR, or NOT_RUNNING nobody asked for: a scorer that cannot process must not look alive.
        log.atError().setMessage("scorer stopped without being asked to; exiting")
                .addKeyValue("state", streams.state()).addKeyValue("exitStatus", EXIT_FAILED).log();
        System.exit(EXIT_FAILED);
    }

    private static void close(KafkaStreams streams, Duration timeout) {
        long start = System.nanoTime();
        boolean closed = streams.close(CloseOptions.timeout(timeout));
        log.atInfo().setMessage(closed ? "scorer closed" : "scorer close timed out")
                .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000)
                .addKeyValue("timeoutMs", timeout.toMillis()).log();
    }

    private static ProbeServer serve(int port, PrometheusMeterRegistry meters, ScorerHealth health) throws IOException {
        ProbeServer server = ProbeServer.start(port, meters, Map.of(
                "/health", () -> verdict(health.live()),
                "/ready", () -> verdict(health.ready())));
        log.atInfo().setMessage("metrics and probes endpoint").addKeyValue("url", "http://localhost:" + port).log();
        return server;
    }

    private static ProbeServer.Verdict verdict(ScorerHealth.Verdict v) {
        return new ProbeServer.Verdict(v.ok(), v.reason());
    }
}
