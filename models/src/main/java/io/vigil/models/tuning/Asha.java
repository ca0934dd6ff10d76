package io.vigil.models.tuning;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2018): trials start on the smallest epoch budget
 * (rung 0); whenever a worker is free, a trial in the best {@code 1 / eta} of those finished on a rung
 * moves up to the next rung's budget, the highest rung first, and only when none can does a new trial
 * start. Unlike synchronous halving no worker waits for a rung to fill; the price is that a trial may be
 * promoted early on the results seen so far. A failed trial (an infinite loss) is never promoted.
 *
 * <p>Trial 0, the base settings, moves up from every rung whatever its rank, beside the promotions:
 * the winner is then always compared with the base at the same budget.
 *
 * <p>Not thread-safe: one coordinator asks for jobs and reports their results.
 */
final class Asha {

    /** Trial {@code trial} trained on rung {@code rung}'s budget. */
    record Job(int trial, int rung) {}

    /** The trial of the base settings. */
    static final int BASE = 0;

    private final int trials;
    private final int eta;
    private final int rungs;
    /** Per rung: finished trials and their losses, in the order they finished. */
    private final List<Map<Integer, Double>> finished = new ArrayList<>();
    /** Per rung: trials already sent on from it. */
    private final List<Set<Integer>> promoted = new ArrayList<>();
    private final Set<Integer> started = new HashSet<>();
    private final Set<Job> running = new HashSet<>();

    Asha(int trials, int eta, int rungs) {
        if (trials < 1 || eta < 2 || rungs < 1) {
            throw new IllegalArgumentException("successive halving needs trials >= 1, eta >= 2, rungs >= 1");
        }
        this.trials = trials;
        this.eta = eta;
        this.rungs = rungs;
        for (int r = 0; r < rungs; r++) {
            finished.add(new LinkedHashMap<>());
            promoted.add(new HashSet<>());
        }
    }

    /** The next job to run, if any can start now; it counts as running until {@link #finished}. */
    Optional<Job> next() {
        for (int r = rungs - 2; r >= 0; r--) {
            if (baseMovesUp(r)) {
                promoted.get(r).add(BASE);
                return Optional.of(start(new Job(BASE, r + 1)));
            }
            Optional<Integer> t = promotable(r);
            if (t.isPresent()) {
                promoted.get(r).add(t.get());
                return Optional.of(start(new Job(t.get(), r + 1)));
            }
        }
        for (int t = 0; t < trials; t++) {
            if (!started.contains(t)) {
                started.add(t);
                return Optional.of(start(new Job(t, 0)));
            }
        }
        return Optional.empty();
    }

    /** Records a result; {@code loss} is {@link Double#POSITIVE_INFINITY} for a trial that failed. */
    void finished(Job job, double loss) {
        running.remove(job);
        restore(job, loss);
    }

    /** Records a result found in the journal of an earlier run, as if this run had scheduled it. */
    void restore(Job job, double loss) {
        if (job.rung() < 0 || job.rung() >= rungs || job.trial() < 0 || job.trial() >= trials) {
            throw new IllegalArgumentException("no " + job + " in " + trials + " trials on " + rungs + " rungs");
        }
        started.add(job.trial());
        if (job.rung() > 0) {
            promoted.get(job.rung() - 1).add(job.trial());
        }
        finished.get(job.rung()).put(job.trial(), Double.isNaN(loss) ? Double.POSITIVE_INFINITY : loss);
    }

    boolean isFinished(Job job) {
        return finished.get(job.rung()).containsKey(job.trial());
    }

    /** True when nothing runs and nothing can start: the run is over. */
    boolean done() {
        if (!running.isEmpty()) {
            return false;
        }
        for (int r = rungs - 2; r >= 0; r--) {
            if (baseMovesUp(r) || promotable(r).isPresent()) {
                return false;
            }
        }
        return started.size() >= trials;
    }

    /** Jobs a full run of synchronous halving would run, with the base on every rung: for a progress bar. */
    int plannedJobs() {
        int jobs = rungs - 1;
        int onRung = trials;
        for (int r = 0; r < rungs && onRung > 0; r++) {
            jobs += onRung;
            onRung /= eta;
        }
        return jobs;
    }

    /** The best result on the highest rung any trial reached: losses on smaller budgets are not comparable. */
    Optional<Map.Entry<Job, Double>> best() {
        for (int r = rungs - 1; r >= 0; r--) {
            int rung = r;
            Optional<Map.Entry<Integer, Double>> e = finished.get(r).entrySet().stream()
                    .filter(x -> Double.isFinite(x.getValue()))
                    .min(Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
            if (e.isPresent()) {
                return Optional.of(Map.entry(new Job(e.get().getKey(), rung), e.get().getValue()));
            }
        }
        return Optional.empty();
    }

    /** Each trial's highest finished rung and loss there. */
    Map<Integer, Job> highestRungs() {
        Map<Integer, Job> highest = new LinkedHashMap<>();
        for (int r = 0; r < rungs; r++) {
            for (int t : finished.get(r).keySet()) {
                highest.put(t, new Job(t, r));
            }
        }
        return highest;
    }

    double loss(Job job) {
        Double loss = finished.get(job.rung()).get(job.trial());
        if (loss == null) {
            throw new IllegalArgumentException(job + " has not finished");
        }
        return loss;
    }

    /** Whether the base settings finished rung {@code r} with a loss and have not moved on from it. */
    private boolean baseMovesUp(int r) {
        Double loss = finished.get(r).get(BASE);
        return loss != null && Double.isFinite(loss) && !promoted.get(r).contains(BASE);
    }

    /** The best trial in the top {@code 1 / eta} of rung {@code r} not yet sent on. */
    private Optional<Integer> promotable(int r) {
        Map<Integer, Double> rung = finished.get(r);
        int top = rung.size() / eta;
        return rung.entrySet().stream()
                .sorted(Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .filter(e -> Double.isFinite(e.getValue()) && !promoted.get(r).contains(e.getKey()))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private Job start(Job job) {
        running.add(job);
        return job;
    }
}
