package io.vigil.models.tuning;

import io.vigil.models.data.ChannelData;
import io.vigil.models.training.ChannelTrainer;
import io.vigil.models.training.Progress;
import io.vigil.models.training.TrainedModel;
import io.vigil.models.training.TrainingConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;

/**
 * Tunes one subsystem: trials of {@link HyperParameters} drawn from a {@link SearchSpace}, trained on the
 * same few of the subsystem's channels and scheduled by {@link Asha} over epoch budgets, judged by
 * validation loss on the nominal training series only (labels are never read). A bounded pool runs the
 * jobs; one coordinating thread schedules them and appends each result to the journal as it ends, so a
 * run killed and started again on the same directory trains only what was not finished.
 */
public final class Tuner {

    /** Trains one channel: {@link ChannelTrainer#train}, or a wrapper around it. */
    @FunctionalInterface
    public interface Trainer {
        TrainedModel train(ChannelData data, TrainingConfig config, ChannelTrainer.EpochListener listener);
    }

    /**
     * How a subsystem is tuned.
     *
     * @param trials trials of rung 0 (trial 0 the base settings)
     * @param eta the share promoted is {@code 1 / eta}; each rung's budget {@code eta} times the last's
     * @param rungs budgets: {@code minEpochs * eta^r} epochs for the rungs below the top, the base config's
     *     epoch budget with its early stopping on the top rung, as {@code train} will run the winner
     * @param channelsPerTrial channels each trial trains, every (n / k)-th of the subsystem's n sorted ids
     */
    public record Plan(int trials, int eta, int rungs, int minEpochs, int channelsPerTrial, SearchSpace space,
            Subsystems subsystems) {

        public Plan {
            Objects.requireNonNull(space, "space");
            Objects.requireNonNull(subsystems, "subsystems");
            if (trials < 1 || eta < 2 || rungs < 1 || minEpochs < 1 || channelsPerTrial < 1) {
                throw new IllegalArgumentException("tuning needs trials >= 1, eta >= 2, rungs >= 1, min epochs >= 1 and"
                        + " channels per trial >= 1");
            }
        }

        /** Epoch budget of each rung, under {@code base}'s epoch budget. */
        public int[] budgets(TrainingConfig base) {
            int[] budgets = new int[rungs];
            long b = minEpochs;
            for (int r = 0; r < rungs - 1; r++) {
                budgets[r] = (int) b;
                b *= eta;
            }
            budgets[rungs - 1] = base.maxEpochs();
            for (int r = 1; r < rungs; r++) {
                if (budgets[r] <= budgets[r - 1]) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "rung budgets must grow: %d epochs on"
                            + " rung %d is not above %d (lower --min-epochs or --rungs, or raise --max-epochs)",
                            budgets[r], r, budgets[r - 1]));
                }
            }
            return budgets;
        }

        /** The same {@code channelsPerTrial} channels for every trial: every (n / k)-th of the sorted ids, from the first. */
        List<ChannelData> pick(List<ChannelData> channels) {
            List<ChannelData> sorted = channels.stream().sorted(Comparator.comparing(ChannelData::channelId)).toList();
            if (sorted.size() <= channelsPerTrial) {
                return sorted;
            }
            List<ChannelData> picked = new ArrayList<>();
            for (int i = 0; i < channelsPerTrial; i++) {
                picked.add(sorted.get(i * sorted.size() / channelsPerTrial));
            }
            return picked;
        }
    }

    /**
     * A subsystem's tuning run.
     *
     * @param results each trial's result on the highest rung it reached, best first
     * @param trained jobs trained by this run; {@code restored} the journal's from an earlier one
     */
    public record Outcome(String subsystem, List<String> channels, int[] budgets, List<TrialResult> results,
            Optional<TunedSettings.Tuned> best, int trained, int restored, double seconds, Path folder) {}

    private static final AtomicInteger THREADS = new AtomicInteger();

    private Tuner() {}

    /**
     * Tunes {@code subsystem} from {@code base} (scheme, engine, patience, seed, scaling and the settings of
     * trial 0), its files under {@code root}; resumes the journal found there.
     *
     * @param progressLines where progress lines go (every 30 s); {@code null} for a live bar on the terminal
     * @throws IllegalStateException if the journal there was written by another plan or data
     */
    public static Outcome tune(String subsystem, List<ChannelData> channels, TrainingConfig base, Plan plan, int workers,
            Path root, Trainer trainer, Consumer<String> progressLines, Consumer<String> notes) {
        long started = System.nanoTime();
        List<ChannelData> picked = plan.pick(channels);
        List<String> ids = picked.stream().map(ChannelData::channelId).toList();
        int[] budgets = plan.budgets(base);
        List<HyperParameters> settings = settings(base, plan);
        String fingerprint = fingerprint(base, picked);
        Path folder = TuningFiles.folder(root, subsystem);
        Asha asha = new Asha(plan.trials(), plan.eta(), plan.rungs());
        List<TrialResult> journal = new ArrayList<>();
        for (TrialResult r : TuningFiles.journal(folder, notes)) {
            checkResumable(r, settings, budgets, ids, fingerprint, folder);
            if (!asha.isFinished(r.job())) {
                asha.restore(r.job(), r.objective());
                journal.add(r);
            }
        }
        int restored = journal.size();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "tune-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<TrialResult> done = new ExecutorCompletionService<>(pool);
        int trained = 0;
        try (ProgressBar bar = Progress.bar("tuning " + subsystem, Math.max(asha.plannedJobs(), restored), " jobs",
                progressLines)) {
            bar.stepTo(restored);
            int running = 0;
            while (!asha.done()) {
                Optional<Asha.Job> job;
                while (running < workers && (job = asha.next()).isPresent()) {
                    Asha.Job j = job.get();
                    TrainingConfig config = settings.get(j.trial()).applyTo(base).withMaxEpochs(budgets[j.rung()]);
                    done.submit(() -> trial(j, settings.get(j.trial()), config, picked, trainer, bar, fingerprint));
                    running++;
                }
                if (running == 0) {
                    break;
                }
                TrialResult r = take(done, pool);
                running--;
                trained++;
                asha.finished(r.job(), r.objective());
                TuningFiles.append(folder, r);
                journal.add(r);
                synchronized (bar) {
                    if (bar.getCurrent() >= bar.getMax()) {
                        bar.maxHint(bar.getMax() + 1);
                    }
                    bar.step();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Optional<TunedSettings.Tuned> best = best(subsystem, plan, asha, journal, ids, budgets);
        best.ifPresent(b -> TuningFiles.writeBest(folder, b));
        return new Outcome(subsystem, ids, budgets, highest(asha, journal), best, trained, restored,
                (System.nanoTime() - started) / 1e9, folder);
    }

    /** Trial 0 the base settings, then draws from the space, each unlike those before while the space has others. */
    static List<HyperParameters> settings(TrainingConfig base, Plan plan) {
        List<HyperParameters> settings = new ArrayList<>();
        Set<HyperParameters> taken = new HashSet<>();
        settings.add(HyperParameters.of(base));
        taken.add(settings.get(0));
        for (int t = 1; t < plan.trials(); t++) {
            HyperParameters s = plan.space().sample(base.seed(), t, taken);
            settings.add(s);
            taken.add(s);
        }
        return settings;
    }

    /**
     * What besides a trial's settings and budget decides its result, as a SHA-256: the base config's
     * untuned fields, and each channel's id, data and input count. A journal line with another is from
     * another run.
     */
    static String fingerprint(TrainingConfig base, List<ChannelData> channels) {
        StringBuilder s = new StringBuilder();
        s.append(base.scheme()).append('|').append(base.engine()).append('|').append(base.patience()).append('|')
                .append(base.minDelta()).append('|').append(base.validationFraction()).append('|')
                .append(base.batchSize()).append('|').append(base.seed()).append('|').append(base.scaling());
        for (ChannelData c : channels) {
            s.append('|').append(c.channelId()).append(':').append(c.trainHash()).append(':').append(c.inputs().count());
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trains one job; a channel that cannot train fails the trial. Out of memory is not the trial's fault: it propagates. */
    private static TrialResult trial(Asha.Job job, HyperParameters settings, TrainingConfig config,
            List<ChannelData> channels, Trainer trainer, ProgressBar bar, String fingerprint) {
        long started = System.nanoTime();
        List<TrialResult.ChannelResult> results = new ArrayList<>();
        double sum = 0;
        try {
            for (ChannelData data : channels) {
                TrainedModel m = trainer.train(data, config, (channel, epoch, loss, best) -> {
                    synchronized (bar) {
                        bar.setExtraMessage(String.format(Locale.ROOT, " trial %d rung %d %s epoch %d val %.5f",
                                job.trial(), job.rung(), channel, epoch, loss));
                    }
                });
                results.add(new TrialResult.ChannelResult(data.channelId(), m.valLoss(), m.epochs(), m.bestEpoch(),
                        m.seconds()));
                sum += m.valLoss();
            }
        } catch (RuntimeException e) {
            return new TrialResult(job.trial(), job.rung(), config.maxEpochs(), settings, null, seconds(started), results,
                    e.getMessage() == null ? e.toString() : e.getMessage(), fingerprint);
        }
        return new TrialResult(job.trial(), job.rung(), config.maxEpochs(), settings, sum / channels.size(),
                seconds(started), results, null, fingerprint);
    }

    private static TrialResult take(CompletionService<TrialResult> done, ExecutorService pool) {
        try {
            Future<TrialResult> f = done.take();
            return f.get();
        } catch (ExecutionException e) {
            // Out of memory, or a bug: the journal keeps what finished; run again, with fewer --workers for the former.
            throw new IllegalStateException("tuning job failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tuning interrupted", e);
        }
    }

    /** A journal line must be what this plan would have run, else its result means something else. */
    private static void checkResumable(TrialResult r, List<HyperParameters> settings, int[] budgets, List<String> ids,
            String fingerprint, Path folder) {
        String why = null;
        if (!fingerprint.equals(r.plan())) {
            why = "trial " + r.trial() + " on rung " + r.rung() + " was trained with other base settings or data";
        } else if (r.trial() < 0 || r.trial() >= settings.size() || r.rung() < 0 || r.rung() >= budgets.length) {
            why = "trial " + r.trial() + " on rung " + r.rung() + " is outside this plan";
        } else if (!r.settings().equals(settings.get(r.trial()))) {
            why = "trial " + r.trial() + " had " + r.settings().label() + ", this plan draws " + settings.get(r.trial()).label();
        } else if (r.epochs() != budgets[r.rung()]) {
            why = "rung " + r.rung() + " had " + r.epochs() + " epochs, this plan gives it " + budgets[r.rung()];
        } else if (r.error() == null && !r.channels().stream().map(TrialResult.ChannelResult::channel).toList().equals(ids)) {
            why = "trial " + r.trial() + " trained " + r.channels().stream().map(TrialResult.ChannelResult::channel).toList()
                    + ", this plan trains " + ids;
        }
        if (why != null) {
            throw new IllegalStateException(folder.resolve(TuningFiles.JOURNAL) + " was written by another tuning plan ("
                    + why + "); tune into another --out directory, or delete it to start over");
        }
    }

    private static Optional<TunedSettings.Tuned> best(String subsystem, Plan plan, Asha asha, List<TrialResult> journal,
            List<String> ids, int[] budgets) {
        Optional<TrialResult> defaults = Optional.ofNullable(asha.highestRungs().get(Asha.BASE))
                .map(job -> result(journal, job));
        return asha.best().map(e -> {
            TrialResult r = result(journal, e.getKey());
            return new TunedSettings.Tuned(subsystem, plan.subsystems().pattern().pattern(), r.trial(), r.rung(),
                    budgets[r.rung()], r.loss(), ids, r.settings(), defaults.map(TrialResult::rung).orElse(-1),
                    defaults.map(TrialResult::objective).orElse(Double.NaN), Instant.now().toString());
        });
    }

    private static List<TrialResult> highest(Asha asha, List<TrialResult> journal) {
        return asha.highestRungs().values().stream().map(j -> result(journal, j))
                .sorted(Comparator.comparingInt(TrialResult::rung).reversed()
                        .thenComparingDouble(TrialResult::objective).thenComparingInt(TrialResult::trial))
                .toList();
    }

    private static TrialResult result(List<TrialResult> journal, Asha.Job job) {
        for (int i = journal.size() - 1; i >= 0; i--) {
            if (journal.get(i).job().equals(job)) {
                return journal.get(i);
            }
        }
        throw new IllegalStateException("no result of " + job);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** The summary table of one subsystem: each trial on its highest rung, best first. */
    public static String summary(Outcome o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "subsystem %s: %d trial(s) on channels %s, rung budgets %s epochs; %d job(s)"
                        + " trained, %d restored from the journal, %.1f s%n", o.subsystem(), o.results().size(),
                String.join(", ", o.channels()), java.util.Arrays.toString(o.budgets()), o.trained(), o.restored(), o.seconds()));
        String row = "%5s %4s %6s %6s %6s %7s %8s %5s %6s %10s %8s  %s%n";
        s.append(String.format(Locale.ROOT, row, "trial", "rung", "epochs", "layers", "units", "dropout", "lr", "l_s",
                "chunks", "val loss", "seconds", ""));
        for (TrialResult r : o.results()) {
            HyperParameters h = r.settings();
            String note = r.error() != null ? "FAILED: " + r.error()
                    : o.best().isPresent() && o.best().get().trial() == r.trial() ? "best" : "";
            if (r.trial() == 0) {
                note = (note.isEmpty() ? "" : note + ", ") + "base settings";
            }
            s.append(String.format(Locale.ROOT, row, r.trial(), r.rung(), r.epochs(), h.layers(), h.units(),
                    String.format(Locale.ROOT, "%.2f", h.dropout()), String.format(Locale.ROOT, "%.1e", h.learningRate()),
                    h.sequenceLength(), h.chunks() == 0 ? "auto" : Integer.toString(h.chunks()),
                    r.loss() == null ? "-" : String.format(Locale.ROOT, "%.6f", r.loss()),
                    String.format(Locale.ROOT, "%.1f", r.seconds()), note));
        }
        if (o.best().isPresent()) {
            TunedSettings.Tuned b = o.best().get();
            s.append(String.format(Locale.ROOT, "best: trial %d, %s, val loss %.6f on rung %d", b.trial(),
                    b.settings().label(), b.loss(), b.rung()));
            if (b.defaultsRung() == b.rung() && b.trial() != 0) {
                s.append(String.format(Locale.ROOT, " (base settings %.6f on the same rung, %.1f %% lower)",
                        b.defaultsLoss(), 100 * (1 - b.loss() / b.defaultsLoss())));
            }
            s.append(String.format(Locale.ROOT, "; written to %s%n", o.folder().resolve(TuningFiles.BEST)));
        } else {
            s.append("no trial trained: nothing written\n");
        }
        return s.toString();
    }
}
