package io.vigil.topology.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * One topology under {@link KafkaStreams}, run over everything already on the telemetry topic as
 * fast as it goes, then closed cleanly (so its stores are flushed to disk). Measures wall time and the
 * CPU time of its stream threads for the whole run and for a steady-state window: from the first
 * moment its committed offsets reach {@code windowFrom} points to the moment they reach the end. Both
 * ends of the window are seen by polling every {@link GroupProgress#POLL} and only move when a commit
 * lands (every {@code commit.interval.ms}), so a window should last many seconds.
 *
 * <p>Also counts what its producers sent to its changelog topics (records and bytes before
 * compaction, from the producers' per-topic metrics), per store, whatever stores the topology has.
 */
final class StreamsRun {

    /** A run that has not finished after this has hung or is hopeless on this machine. */
    private static final Duration LIMIT = Duration.ofMinutes(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final String CHANGELOG_SUFFIX = "-changelog";
    /** A window shorter than this (20 commit intervals at the default 100 ms) is mostly the error of its ends. */
    private static final Duration SHORT_WINDOW = Duration.ofSeconds(2);

    private StreamsRun() {}

    /** Records and bytes sent to changelogs. */
    record Writes(double records, double bytes) {
        static final Writes NONE = new Writes(0, 0);

        Writes plus(Writes other) {
            return new Writes(records + other.records, bytes + other.bytes);
        }

        Writes minus(Writes other) {
            return new Writes(records - other.records, bytes - other.bytes);
        }
    }

    /**
     * @param points input records processed
     * @param seconds wall time from start to the last commit
     * @param cpuSeconds the stream threads' CPU time over the same
     * @param windowPoints points processed in the steady-state window
     * @param windowSeconds the window's wall time
     * @param windowCpuSeconds the stream threads' CPU time in the window
     * @param changelogs writes per store over the whole run
     * @param windowChangelogs writes per store in the window
     */
    record Result(long points, double seconds, double cpuSeconds, long windowPoints, double windowSeconds,
                  double windowCpuSeconds, Map<String, Writes> changelogs, Map<String, Writes> windowChangelogs) {

        /**
         * Whether a commit landed inside the window: a run that crossed the whole window between two
         * polls (a small smoke run) has none to measure.
         */
        boolean windowSeen() {
            return windowPoints > 0;
        }

        /** Steady-state throughput by wall clock, the figure the benchmarks compare; the whole run's where the window was not seen. */
        double steadyPointsPerSecond() {
            return windowSeen() ? windowPoints / windowSeconds : points / seconds;
        }

        /** The whole run's and the steady-state window's throughput, by wall clock and per stream-thread CPU second. */
        void printThroughput(PrintStream out, String name) {
            out.printf(Locale.ROOT, "%s whole run: %,d points in %.1f s, %,.0f points/s wall, %,.0f points per stream-thread CPU s%n",
                    name, points, seconds, points / seconds, points / cpuSeconds);
            if (windowSeen()) {
                out.printf(Locale.ROOT, "%s steady state: %,d points in %.1f s, %,.0f points/s wall, %,.0f points per stream-thread CPU s%s%n",
                        name, windowPoints, windowSeconds, steadyPointsPerSecond(), windowPoints / windowCpuSeconds,
                        windowSeconds < SHORT_WINDOW.toMillis() / 1e3
                                ? " (too short to trust: its ends are known to a commit interval; use more points or channels)" : "");
            } else {
                out.printf(Locale.ROOT, "%s steady state: passed between two looks, too short to time;"
                        + " the whole run stands in for it (use more points or channels)%n", name);
            }
        }

        /** The writes to all changelogs per point, then per store, for the whole run and the window. */
        void printChangelogs(PrintStream out, String name) {
            out.printf(Locale.ROOT, "%s changelogs (all %d), whole run: %s%n", name, changelogs.size(), perPoint(changelogs, points));
            if (windowSeen()) {
                out.printf(Locale.ROOT, "%s changelogs (all %d), steady state: %s%n", name, windowChangelogs.size(),
                        perPoint(windowChangelogs, windowPoints));
            }
        }

        private static String perPoint(Map<String, Writes> writes, long points) {
            Writes sum = writes.values().stream().reduce(Writes.NONE, Writes::plus);
            String stores = writes.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.3f / %.1f", e.getKey(), e.getValue().records() / points,
                            e.getValue().bytes() / points))
                    .collect(Collectors.joining(", "));
            return String.format(Locale.ROOT, "%.3f records and %,.1f bytes per point (records / bytes per point by store: %s)",
                    sum.records() / points, sum.bytes() / points, stores.isEmpty() ? "none" : stores);
        }
    }

    /** Runs {@code topology} with {@code props} to the end of the telemetry topic; the window starts at {@code windowFrom} points. */
    static Result run(Topology topology, Properties props, Admin admin, String input, long windowFrom) throws Exception {
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        GroupProgress progress = new GroupProgress(admin, applicationId, input);
        long total = progress.end();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            streams.start();
            long started = System.nanoTime();
            long cpuStarted = streamThreadCpu(threads, applicationId);
            long windowStarted = 0;
            long windowCpu = 0;
            long windowDone = 0;
            Map<String, Writes> windowChangelogs = Map.of();
            long done = 0;
            while (done < total) {
                Thread.sleep(GroupProgress.POLL.toMillis());
                done = progress.committed();
                if (windowStarted == 0 && done >= windowFrom) {
                    windowStarted = System.nanoTime();
                    windowCpu = streamThreadCpu(threads, applicationId);
                    windowDone = done;
                    windowChangelogs = changelogWrites(streams, applicationId);
                }
                if (System.nanoTime() - started > LIMIT.toNanos()) {
                    throw new IllegalStateException(applicationId + " not done after " + LIMIT + ": " + done + " of " + total);
                }
            }
            long ended = System.nanoTime();
            long cpuEnded = streamThreadCpu(threads, applicationId);
            Map<String, Writes> changelogs = changelogWrites(streams, applicationId);
            Map<String, Writes> window = new TreeMap<>();
            for (var e : changelogs.entrySet()) {
                window.put(e.getKey(), e.getValue().minus(windowChangelogs.getOrDefault(e.getKey(), Writes.NONE)));
            }
            if (!streams.close(CLOSE_TIMEOUT)) {
                throw new IllegalStateException(applicationId + " did not close within " + CLOSE_TIMEOUT);
            }
            return new Result(total, (ended - started) / 1e9, (cpuEnded - cpuStarted) / 1e9, total - windowDone,
                    (ended - windowStarted) / 1e9, (cpuEnded - windowCpu) / 1e9, changelogs, window);
        }
    }

    /** CPU time of the application's live stream threads (named {@code <application.id>-<uuid>-StreamThread-<n>}). */
    private static long streamThreadCpu(ThreadMXBean threads, String applicationId) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(applicationId + "-") && info.getThreadName().contains("StreamThread")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** Records and bytes sent so far to each of the application's changelogs, by store name. */
    private static Map<String, Writes> changelogWrites(KafkaStreams streams, String applicationId) {
        String prefix = applicationId + "-";
        Map<String, Writes> writes = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            String topic = name.tags().get("topic");
            if (!name.group().equals("producer-topic-metrics") || topic == null || !topic.startsWith(prefix)
                    || !topic.endsWith(CHANGELOG_SUFFIX)) {
                continue;
            }
            double value = ((Number) e.getValue().metricValue()).doubleValue();
            Writes add = switch (name.name()) {
                case "record-send-total" -> new Writes(value, 0);
                case "byte-total" -> new Writes(0, value);
                default -> Writes.NONE;
            };
            String store = topic.substring(prefix.length(), topic.length() - CHANGELOG_SUFFIX.length());
            writes.merge(store, add, Writes::plus);
        }
        return writes;
    }
}
