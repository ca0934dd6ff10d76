package io.vigil.topology.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The paced points of a {@link Fleet}, sent to the bridge's HTTP ingest by {@code clients} concurrent
 * clients in JSON batches of {@code batch} points. Each client owns the channels {@code c} with
 * {@code c % clients == k} and sends their points in order, so no two requests race on one channel
 * (the scorer would refuse the later-dated one that arrived first as out of order). Sustained: a
 * batch is sent when its last point is due at {@code rate} points a second over the whole load;
 * burst: every client sends its batches back to back. Each point's send time (just before its
 * request) goes into {@code sent}, by paced index, for the score reader.
 */
final class IngestLoad {

    /** How long one request may take before it counts as failed. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final Fleet fleet;
    private final int history;
    private final long total;
    private final int clients;
    private final int batch;
    private final int rate; // 0: burst
    private final AtomicLongArray sent;
    private final List<long[]> requestNanos = new ArrayList<>();
    private final ConcurrentMap<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();

    IngestLoad(URI endpoint, Fleet fleet, int history, long total, int clients, int batch, int rate, AtomicLongArray sent) {
        this.endpoint = endpoint;
        this.fleet = fleet;
        this.history = history;
        this.total = total;
        this.clients = clients;
        this.batch = batch;
        this.rate = rate;
        this.sent = sent;
    }

    /** Sends every point and returns once the last client's last answer arrived. */
    void run() throws InterruptedException {
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            int client = k;
            long[] latencies = new long[(int) (total / batch + fleet.channels() + 1)];
            Arrays.fill(latencies, -1);
            synchronized (requestNanos) {
                requestNanos.add(latencies);
            }
            Thread t = new Thread(() -> send(client, started, latencies), "bench-ingest-client-" + k);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void send(int client, long started, long[] latencies) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int requests = 0;
        List<Integer> indices = new ArrayList<>(batch);
        for (long index = 0; index < total; index++) {
            if ((index % fleet.channels()) % clients != client) {
                continue;
            }
            indices.add((int) index);
            if (indices.size() == batch) {
                post(http, indices, started, latencies, requests++);
                indices.clear();
            }
        }
        if (!indices.isEmpty()) {
            post(http, indices, started, latencies, requests);
        }
    }

    private void post(HttpClient http, List<Integer> indices, long started, long[] latencies, int request) {
        int last = indices.get(indices.size() - 1);
        if (rate > 0) {
            long due = started + (long) last * 1_000_000_000L / rate;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.min(due - System.nanoTime(), 1_000_000));
            }
        }
        StringBuilder body = new StringBuilder(64 * indices.size()).append("{\"points\":[");
        for (int i = 0; i < indices.size(); i++) {
            int index = indices.get(i);
            int round = history + index / fleet.channels();
            int c = index % fleet.channels();
            body.append(i == 0 ? "" : ",").append("{\"channel\":\"").append(Fleet.channel(c))
                    .append("\",\"time\":").append(fleet.eventTime(round))
                    .append(",\"value\":").append(Fleet.value(round, c)).append(",\"source\":\"bench\"}");
        }
        body.append("]}");
        HttpRequest post = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long before = System.nanoTime();
        for (int index : indices) {
            sent.set(index, before);
        }
        try {
            HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicLong()).incrementAndGet();
            if (answer.statusCode() == 200) {
                latencies[request] = System.nanoTime() - before;
            } else {
                failed.addAndGet(indices.size());
            }
        } catch (java.io.IOException e) {
            statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
            failed.addAndGet(indices.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.addAndGet(indices.size());
        }
    }

    /** Points whose request was not answered 200. */
    long failed() {
        return failed.get();
    }

    /** Request latency percentiles (answered 200) and the answers by status. */
    void report(PrintStream report, double seconds) {
        long[] all;
        synchronized (requestNanos) {
            all = requestNanos.stream().flatMapToLong(Arrays::stream).filter(l -> l >= 0).sorted().toArray();
        }
        report.printf(Locale.ROOT, "sent %,d points in %,d requests of up to %d points from %d clients (%s) in %.1f s:"
                        + " %,.0f points/s; answers by status %s%n", total, all.length + statuses.entrySet().stream()
                        .filter(e -> e.getKey() != 200).mapToLong(e -> e.getValue().get()).sum(), batch, clients,
                rate > 0 ? String.format(Locale.ROOT, "sustained at %,d points/s", rate) : "burst", seconds,
                total / seconds, statuses);
        if (all.length > 0) {
            report.printf(Locale.ROOT, "request latency (answered 200): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    LatencyBench.percentile(all, 0.50) / 1e6, LatencyBench.percentile(all, 0.95) / 1e6,
                    LatencyBench.percentile(all, 0.99) / 1e6, all[all.length - 1] / 1e6);
        }
    }

}
