package io.vigil.models.evaluation;

import io.vigil.avro.ModelRelease;
import io.vigil.models.data.ChannelData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs every detector on every channel of a labeled data set and counts what each found (see
 * {@link Counts}). Channels run in parallel; each detector run is independent (its own topology and
 * state), so the order never changes a result.
 */
public final class Evaluation {

    /** One channel's detections and counts, by detector name in the order the detectors were given. */
    public record ChannelResult(ChannelData channel, ReplayStream stream, Map<String, Detection> detections,
            Map<String, Counts> counts) {}

    /**
     * @param detectors detector names, in the order given
     * @param fleet counts summed over the channels every detector ran on
     * @param skipped channels a detector could not run on (no model), with the reason
     */
    public record Result(List<String> detectors, List<ChannelResult> channels, Map<String, Counts> fleet,
            List<String> skipped) {

        /** The channels every detector ran on: the ones the fleet figures compare. */
        public List<ChannelResult> compared() {
            return Evaluation.compared(channels, detectors.size());
        }
    }

    private Evaluation() {}

    /**
     * @param models trained models by channel id; a detector that needs one skips channels without
     * @param progress one line per finished channel, called from the pool's threads
     */
    public static Result run(List<ChannelData> channels, Map<String, ModelRelease> models, List<Detector> detectors,
            int workers, Consumer<String> progress) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, "evaluate");
            t.setDaemon(true);
            return t;
        });
        List<String> skipped = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<ChannelResult>> futures = new ArrayList<>();
            List<ChannelData> biggestFirst = new ArrayList<>(channels);
            biggestFirst.sort(Comparator.comparingInt((ChannelData c) -> c.test().length).reversed());
            for (ChannelData c : biggestFirst) {
                futures.add(pool.submit(() -> {
                    ChannelResult r = evaluate(c, models.get(c.channelId()), detectors, skipped);
                    progress.accept(String.format(java.util.Locale.ROOT, "[%d/%d] %s: %s", done.incrementAndGet(),
                            channels.size(), c.channelId(), summary(r)));
                    return r;
                }));
            }
            List<ChannelResult> results = new ArrayList<>();
            for (Future<ChannelResult> f : futures) {
                results.add(f.get());
            }
            results.sort(Comparator.comparing(r -> r.channel().channelId()));
            List<String> names = detectors.stream().map(Detector::name).toList();
            List<String> sortedSkips;
            synchronized (skipped) {
                sortedSkips = skipped.stream().sorted().toList();
            }
            // Like for like: a channel one detector could not run on (no model) is left out of every sum.
            List<ChannelResult> compared = compared(results, names.size());
            Map<String, Counts> fleet = new LinkedHashMap<>();
            for (String name : names) {
                fleet.put(name, compared.stream().map(r -> r.counts().get(name)).reduce(Counts.ZERO, Counts::plus));
            }
            return new Result(names, results, fleet, sortedSkips);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<ChannelResult> compared(List<ChannelResult> channels, int detectors) {
        return channels.stream().filter(r -> r.detections().size() == detectors).toList();
    }

    static ChannelResult evaluate(ChannelData c, ModelRelease model, List<Detector> detectors, List<String> skipped) {
        ReplayStream stream = ReplayStream.of(c);
        Map<String, Detection> detections = new LinkedHashMap<>();
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (Detector d : detectors) {
            if (d.needsModel() && model == null) {
                synchronized (skipped) {
                    skipped.add(c.channelId() + ": " + d.name() + " (no trained model)");
                }
                continue;
            }
            Detection detection = d.detect(c, stream, model);
            detections.put(d.name(), detection);
            counts.put(d.name(), Counts.of(c.test().length, c.labels(), detection.segments()));
        }
        return new ChannelResult(c, stream, detections, counts);
    }

    private static String summary(ChannelResult r) {
        StringBuilder s = new StringBuilder();
        r.counts().forEach((name, c) -> s.append(s.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(c.truePositives()).append('/').append(c.truePositives() + c.falseNegatives())
                .append(" events, ").append(c.falsePositives()).append(" FP"));
        return s.toString();
    }
}
