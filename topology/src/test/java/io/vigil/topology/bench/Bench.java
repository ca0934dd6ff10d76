package io.vigil.topology.bench;

import io.vigil.config.Settings;
import io.vigil.topology.TopologyConfig;
import io.vigil.topology.scoring.ScoringSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code scripts/bench}'s entry point: {@code ratio} ({@link RatioBench}), {@code latency},
 * {@code browser} or {@code ingest} ({@link LatencyBench}, to the scores topic, on through the bridge,
 * or into Kafka through the bridge's HTTP ingest), each with {@code --name value} options. The report goes to standard output;
 * everything else that would go there (Kafka's logs, the broker's start-up chatter) goes to standard
 * error, which the script keeps in a file, so the report's last line is the headline.
 */
public final class Bench {

    /** Telemetry partitions: the topics' partitions on the bench's one broker, as PipelineBench always had. */
    static final int PARTITIONS = 2;
    /** The schema registry of every benchmark on a broker: in memory, shared by the loader, the scorer and readers in this JVM. */
    static final String REGISTRY = "mock://bench";

    private static final String USAGE = """
            usage: bench ratio --channels N [--points P]
                   bench latency --channels N --rate R [--seconds S] [--history H]
                   bench browser --channels N --rate R [--seconds S] [--history H]
                   bench ingest --channels N --rate R [--seconds S] [--history H] [--clients C] [--batch B] [--burst 1]
            """;

    private Bench() {}

    public static void main(String[] args) throws Exception {
        PrintStream report = takeStdout();
        if (args.length == 0) {
            fail(USAGE);
        }
        Map<String, Integer> options = options(args);
        switch (args[0]) {
            case "ratio" -> {
                known(options, Set.of("channels", "points"));
                int channels = options.getOrDefault("channels", RatioBench.DEFAULT_CHANNELS);
                RatioBench.run(report, channels, options.getOrDefault("points", RatioBench.defaultPoints(channels)));
            }
            case "latency", "browser" -> {
                known(options, Set.of("channels", "rate", "seconds", "history"));
                LatencyBench.run(report, options.getOrDefault("channels", RatioBench.DEFAULT_CHANNELS),
                        options.getOrDefault("rate", LatencyBench.DEFAULT_RATE),
                        options.getOrDefault("seconds", LatencyBench.DEFAULT_SECONDS),
                        options.getOrDefault("history", Fleet.THRESHOLD_ROUNDS), args[0].equals("browser"));
            }
            case "ingest" -> {
                known(options, Set.of("channels", "rate", "seconds", "history", "clients", "batch", "burst"));
                LatencyBench.run(report, options.getOrDefault("channels", RatioBench.DEFAULT_CHANNELS),
                        options.getOrDefault("rate", LatencyBench.DEFAULT_RATE),
                        options.getOrDefault("seconds", LatencyBench.DEFAULT_SECONDS),
                        options.getOrDefault("history", Fleet.THRESHOLD_ROUNDS), false,
                        new LatencyBench.Ingest(options.getOrDefault("clients", 4), options.getOrDefault("batch", 100),
                                options.getOrDefault("burst", 0) > 0));
            }
            default -> fail("unknown command '" + args[0] + "'\n" + USAGE);
        }
    }

    /**
     * Keeps standard output for the report and points {@link System#out} at standard error, so that
     * whatever else prints there, logback's console appender (which looks {@code System.out} up on every
     * write) included, cannot come between or after the report's lines.
     */
    static PrintStream takeStdout() {
        PrintStream report = System.out;
        System.setOut(System.err);
        return report;
    }

    /**
     * The scorer's configuration on the bench broker, every other setting at its default (the
     * production one): exactly-once v2, one stream thread, 100 ms commits, a 10 MB record cache. The
     * model cache holds the whole fleet, as an instance sized for its channels would: with fewer
     * places than interleaved channels every point would decode its channel's weights again.
     */
    static TopologyConfig scorerConfig(String bootstrap, Path stateDir, String applicationId, int channels,
                                       Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("vigil.bootstrap.servers", bootstrap);
        settings.put("vigil.schema.registry.url", REGISTRY);
        settings.put("vigil.state.dir", stateDir.toString());
        settings.put("vigil.application.id", applicationId);
        settings.put("vigil.scoring.model.cache.size",
                Integer.toString(Math.max(ScoringSettings.DEFAULT.modelCacheSize(), channels)));
        settings.putAll(overrides);
        return TopologyConfig.from(Settings.of(settings));
    }

    /** The settings in the report's header. */
    static String describe(TopologyConfig config) {
        return String.format(Locale.ROOT, "exactly-once v2, %d stream thread(s), commit %d ms, statestore.cache.max.bytes %,d,"
                        + " %s weights, model cache %,d", config.streamThreads(), config.commitIntervalMs(),
                config.storeCacheBytes(), config.scoring().precision().name().toLowerCase(Locale.ROOT),
                config.scoring().modelCacheSize());
    }

    /** {@code --name value} pairs after the command, each value a positive whole number ({@code --history} may be 0). */
    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> options = new HashMap<>();
        List<String> rest = List.of(args).subList(1, args.length);
        if (rest.size() % 2 != 0) {
            fail("every option takes a value\n" + USAGE);
        }
        for (int i = 0; i < rest.size(); i += 2) {
            String name = rest.get(i);
            if (!name.startsWith("--")) {
                fail("expected an option, got '" + name + "'\n" + USAGE);
            }
            int value = 0;
            try {
                value = Integer.parseInt(rest.get(i + 1));
            } catch (NumberFormatException e) {
                fail(name + " takes a whole number, got '" + rest.get(i + 1) + "'");
            }
            if (value < 0 || (value == 0 && !name.equals("--history"))) {
                fail(name + " must be positive, got " + value);
            }
            options.put(name.substring(2), value);
        }
        return options;
    }

    private static void known(Map<String, Integer> options, Set<String> allowed) {
        for (String name : options.keySet()) {
            if (!allowed.contains(name)) {
                fail("unknown option --" + name + "\n" + USAGE);
            }
        }
    }

    private static void fail(String message) {
        System.err.println("bench: " + message.strip());
        System.exit(2);
    }
}
