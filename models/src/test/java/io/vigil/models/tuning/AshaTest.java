package io.vigil.models.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class AshaTest {

    /** Trial t's loss falls with the budget and is lower for smaller t: the best trials start first. */
    private static final ToDoubleFunction<Asha.Job> LOSS = j -> (1.0 + j.trial()) / (1 + j.rung());
    /** The opposite: each trial beats those before it, and the base is the worst. */
    private static final ToDoubleFunction<Asha.Job> WORST_FIRST = j -> (100.0 - j.trial()) / (1 + j.rung());

    @Test
    void nineTrialsOnThreeRungsRunNineThenThreeThenOneAndPromoteTheBest() {
        Asha asha = new Asha(9, 3, 3);
        List<Asha.Job> jobs = runSequentially(asha, LOSS, Set.of());
        assertEquals(9, jobs.stream().filter(j -> j.rung() == 0).count());
        assertEquals(Set.of(0, 1, 2), trialsOn(jobs, 1), "the best third of rung 0 moves up");
        assertEquals(Set.of(0), trialsOn(jobs, 2));
        assertEquals(13, jobs.size());
        assertEquals(new Asha.Job(0, 2), asha.best().orElseThrow().getKey());
        assertTrue(asha.done());
        assertEquals(15, asha.plannedJobs(), "at most synchronous halving's 13, and the base on the two rungs above");
    }

    @Test
    void promotesAsSoonAsARungHasEnoughResultsWithoutWaitingForItToFill() {
        Asha asha = new Asha(9, 3, 2);
        List<Asha.Job> three = List.of(asha.next().orElseThrow(), asha.next().orElseThrow(), asha.next().orElseThrow());
        three.forEach(j -> asha.finished(j, WORST_FIRST.applyAsDouble(j)));
        assertEquals(new Asha.Job(0, 1), asha.next().orElseThrow(), "the base settings move up whatever their rank");
        assertEquals(new Asha.Job(2, 1), asha.next().orElseThrow(), "three results on rung 0: the best of them goes on");
        assertEquals(new Asha.Job(3, 0), asha.next().orElseThrow(), "then new trials start");
    }

    @Test
    void trialsThatArriveBestSoFarArePromotedOnWhatWasSeen() {
        // ASHA's price for never waiting: when each new trial beats those before, each is in the top third
        // of what rung 0 has seen when it ends, and moves up.
        Asha asha = new Asha(9, 3, 2);
        List<Asha.Job> jobs = runSequentially(asha, WORST_FIRST, Set.of());
        assertEquals(Set.of(0, 2, 3, 4, 5, 6, 7, 8), trialsOn(jobs, 1), "and the base, as always");
        assertEquals(new Asha.Job(8, 1), asha.best().orElseThrow().getKey());
    }

    @Test
    void theBaseSettingsReachTheTopRungWhereverTheyRank() {
        Asha asha = new Asha(9, 3, 3);
        List<Asha.Job> jobs = runSequentially(asha, WORST_FIRST, Set.of());
        assertTrue(trialsOn(jobs, 2).contains(0), "the worst trial, the base, is on the top rung: " + jobs);
        assertEquals(new Asha.Job(8, 2), asha.best().orElseThrow().getKey(), "and the winner is not it");
    }

    @Test
    void aFailedTrialIsNeverPromotedEvenWhenOthersFailToo() {
        Asha asha = new Asha(4, 2, 2);
        List<Asha.Job> jobs = runSequentially(asha, j -> j.trial() == 0 || j.trial() == 1 ? Double.POSITIVE_INFINITY
                : LOSS.applyAsDouble(j), Set.of());
        assertEquals(Set.of(2, 3), trialsOn(jobs, 1), "two of four go on, and the failed ones cannot be those two");
        assertEquals(new Asha.Job(2, 1), asha.best().orElseThrow().getKey());
    }

    @Test
    void noWorkIsHandedOutWhileItsOnlyCandidatesAreStillRunning() {
        Asha asha = new Asha(2, 3, 2);
        Asha.Job base = asha.next().orElseThrow();
        Asha.Job other = asha.next().orElseThrow();
        assertEquals(Optional.empty(), asha.next(), "both trials run");
        asha.finished(other, 1.0);
        assertEquals(Optional.empty(), asha.next(), "one result is too few to promote with eta 3");
        assertFalse(asha.done(), "the base still runs");
        asha.finished(base, 2.0);
        assertEquals(new Asha.Job(0, 1), asha.next().orElseThrow(), "the base moves up though it is worse");
        assertFalse(asha.done());
    }

    @Test
    void aRestoredRunSchedulesExactlyTheJobsTheJournalLacks() {
        Asha full = new Asha(9, 3, 3);
        List<Asha.Job> all = runSequentially(full, LOSS, Set.of());

        // A run killed after its first 10 jobs, one of them (trial 4 on rung 0) lost in flight.
        Asha resumed = new Asha(9, 3, 3);
        Set<Asha.Job> journal = new HashSet<>(all.subList(0, 10));
        journal.remove(new Asha.Job(4, 0));
        for (Asha.Job j : all.subList(0, 10)) {
            if (journal.contains(j)) {
                resumed.restore(j, LOSS.applyAsDouble(j));
            }
        }
        List<Asha.Job> rest = runSequentially(resumed, LOSS, journal);
        Set<Asha.Job> union = new HashSet<>(journal);
        union.addAll(rest);
        assertEquals(new HashSet<>(all), union, "the resumed run ends with the jobs of an uninterrupted one");
        assertEquals(all.size() - journal.size(), rest.size(), "and trains none twice");
        assertTrue(rest.contains(new Asha.Job(4, 0)));
        assertEquals(full.best(), resumed.best());
    }

    /** One worker: take a job, finish it, until done. Fails on a job in {@code alreadyRun}. */
    private static List<Asha.Job> runSequentially(Asha asha, ToDoubleFunction<Asha.Job> loss, Set<Asha.Job> alreadyRun) {
        List<Asha.Job> jobs = new ArrayList<>();
        while (!asha.done()) {
            Asha.Job j = asha.next().orElseThrow();
            assertFalse(alreadyRun.contains(j), j + " was scheduled again");
            jobs.add(j);
            asha.finished(j, loss.applyAsDouble(j));
        }
        return jobs;
    }

    private static Set<Integer> trialsOn(List<Asha.Job> jobs, int rung) {
        Set<Integer> trials = new HashSet<>();
        jobs.stream().filter(j -> j.rung() == rung).forEach(j -> trials.add(j.trial()));
        return trials;
    }
}
