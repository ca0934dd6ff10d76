package io.vigil.models.training;

import io.vigil.models.data.ChannelData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;

/**
 * Trains many channels at once in a bounded pool, each task with its own network (a
 * {@link org.deeplearning4j.nn.multilayer.MultiLayerNetwork} is not thread-safe), writing each
 * candidate as soon as it is trained and dropping the network, so memory holds only the tasks in flight.
 * Each channel trains with its own config (tuned settings differ by subsystem).
 * A channel that fails (too short, bad values) is reported and does not stop the others. Shows a
 * {@link Progress} bar and ends with a summary table.
 */
public final class ParallelTrainer {

    /** One channel's result: figures of the trained model, or why it failed. */
    public record Outcome(String channelId, int points, int epochs, int bestEpoch, double valLoss, double seconds,
            Path file, String error) {

        public boolean ok() {
            return error == null;
        }
    }

    /** Where the trained candidates go and what they are labelled with. */
    public record Output(Path directory, String dataSet, String layout) {}

    private ParallelTrainer() {}

    /**
     * @param progressLines where progress lines go (every 30 s); {@code null} for a live bar on the terminal
     */
    public static List<Outcome> trainAll(List<ChannelData> channels, Function<ChannelData, TrainingConfig> configs,
            int workers, Output output, Consumer<String> progressLines) {
        List<ChannelData> biggestFirst = channels.stream()
                .sorted(Comparator.comparingInt((ChannelData d) -> d.train().length).reversed()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "train-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Outcome> outcomes = new ArrayList<>();
        try (ProgressBar bar = Progress.bar("training", channels.size(), " ch", progressLines)) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (ChannelData data : biggestFirst) {
                futures.add(pool.submit(() -> {
                    Outcome o = trainOne(data, configs.apply(data), output, bar);
                    synchronized (bar) {
                        bar.step();
                    }
                    return o;
                }));
            }
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("training task failed unexpectedly", e.getCause());
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("training interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        outcomes.sort(Comparator.comparing(Outcome::channelId));
        return outcomes;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private static Outcome trainOne(ChannelData data, TrainingConfig config, Output output, ProgressBar bar) {
        long started = System.nanoTime();
        try {
            TrainedModel model = ChannelTrainer.train(data, config, (channel, epoch, loss, best) -> {
                synchronized (bar) {
                    bar.setExtraMessage(String.format(Locale.ROOT, " %s epoch %d val %.5f", channel, epoch, loss));
                }
            });
            Path file = CandidateFiles.write(output.directory(),
                    CandidateFiles.toCandidate(model, output.dataSet(), output.layout()));
            return new Outcome(data.channelId(), data.train().length, model.epochs(), model.bestEpoch(), model.valLoss(),
                    model.seconds(), file, null);
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Outcome(data.channelId(), data.train().length, 0, 0, Double.NaN,
                    (System.nanoTime() - started) / 1e9, null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The summary table: one row per channel, then totals. */
    public static String summary(List<Outcome> outcomes, int workers, long peakRssBytes) {
        StringBuilder s = new StringBuilder();
        int width = Math.max(7, outcomes.stream().mapToInt(o -> o.channelId().length()).max().orElse(7));
        String row = "%-" + width + "s %8s %7s %5s %10s %8s %10s  %s%n";
        s.append(String.format(Locale.ROOT, row, "channel", "points", "epochs", "best", "val loss", "seconds", "s/1k pts", "status"));
        double totalSeconds = 0;
        long totalPoints = 0;
        int ok = 0;
        for (Outcome o : outcomes) {
            totalSeconds += o.seconds();
            totalPoints += o.points();
            if (o.ok()) {
                ok++;
                s.append(String.format(Locale.ROOT, row, o.channelId(), o.points(), o.epochs(), o.bestEpoch(),
                        String.format(Locale.ROOT, "%.6f", o.valLoss()), String.format(Locale.ROOT, "%.1f", o.seconds()),
                        String.format(Locale.ROOT, "%.2f", o.seconds() * 1000 / Math.max(1, o.points())), "ok"));
            } else {
                s.append(String.format(Locale.ROOT, row, o.channelId(), o.points(), "-", "-", "-",
                        String.format(Locale.ROOT, "%.1f", o.seconds()), "-", "FAILED: " + o.error()));
            }
        }
        s.append(String.format(Locale.ROOT, "%d of %d channels trained, %d points, %.1f task-seconds (%.2f s per 1,000 points),"
                        + " %d parallel task(s), peak RSS %d MiB%n", ok, outcomes.size(), totalPoints, totalSeconds,
                totalSeconds * 1000 / Math.max(1, totalPoints), workers, peakRssBytes >> 20));
        return s.toString();
    }
}
