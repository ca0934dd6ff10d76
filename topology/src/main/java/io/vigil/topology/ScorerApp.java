package io.vigil.topology;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.config.Settings;
import io.vigil.topology.scoring.lstm.LstmForwardPasses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer service: runs {@link VigilTopology} until SIGTERM, and serves Prometheus metrics on
 * {@code /metrics}. A failing stream thread is replaced rather than taking the instance down; under
 * exactly-once it resumes from the last committed transaction.
 */
public final class ScorerApp {

    private static final Logger log = LoggerFactory.getLogger(ScorerApp.class);

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        TopologyConfig config = TopologyConfig.from(Settings.fromSystem());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);

        // Without --add-modules jdk.incubator.vector the LSTM runs the plain-Java pass, about 2x slower.
        log.atInfo().setMessage("LSTM forward pass").addKeyValue("pass", LstmForwardPasses.best()).log();
        KafkaStreams streams = new KafkaStreams(VigilTopology.build(config, meters), config.streamsProperties());
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        streams.setUncaughtExceptionHandler(e -> {
            log.atError().setCause(e).setMessage("stream thread failed; replacing it").log();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
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
        HttpServer metricsServer = config.metricsPort() > 0 ? serveMetrics(config.metricsPort(), meters) : null;

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            streamsMetrics.close();
            if (metricsServer != null) {
                metricsServer.stop(0);
            }
        }, "scorer-shutdown"));
        streams.start();
        stopped.await();
    }

    private static HttpServer serveMetrics(int port, PrometheusMeterRegistry meters) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = meters.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        log.atInfo().setMessage("metrics endpoint").addKeyValue("url", "http://localhost:" + port + "/metrics").log();
        return server;
    }
}
