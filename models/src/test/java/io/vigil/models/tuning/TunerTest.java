package io.vigil.models.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.LstmArchitecture;
import io.vigil.models.data.ChannelData;
import io.vigil.avro.ModelRelease;
import io.vigil.models.training.CandidateFiles;
import io.vigil.models.training.ChannelTrainer;
import io.vigil.models.training.TrainingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tuning with real training, on a tiny network and short channels so that a run takes seconds. */
class TunerTest {

    private static final LstmArchitecture TINY = LstmArchitecture.newBuilder().setInputSize(1).setLayers(1).setUnits(6)
            .setOutputSize(1).build();
    private static final TrainingConfig BASE = TrainingConfig.defaults().withArchitecture(TINY).withSequenceLength(40)
            .withLearningRate(1e-2).withMaxEpochs(6);
    private static final SearchSpace SPACE = new SearchSpace(List.of(4, 8), List.of(1), List.of(0.1, 0.3),
            List.of(1e-2, 3e-2), List.of(20, 40), List.of(0, 2));
    /** Budgets 2 and 6 epochs; the better half of rung 0 moves up. */
    private static final Tuner.Plan PLAN = new Tuner.Plan(4, 2, 2, 2, 2, SPACE, Subsystems.matching(Subsystems.TELEMANOM_PREFIX));
    private static final List<ChannelData> S = List.of(sine("S-1", 300, 2), sine("S-2", 300, 5), sine("S-3", 300, 3));

    @TempDir
    Path dir;

    private final AtomicInteger trainings = new AtomicInteger();
    private final Tuner.Trainer counting = (data, config, listener) -> {
        trainings.incrementAndGet();
        return ChannelTrainer.train(data, config, listener);
    };

    @Test
    void tunesASubsystemOnSomeOfItsChannelsAndItsWinnerIsWhatTrainTunedApplies() {
        Tuner.Outcome o = tune(PLAN, 1);
        System.out.print(Tuner.summary(o));

        assertEquals(List.of("S-1", "S-2"), o.channels(), "two of three channels, spread over the sorted ids");
        assertEquals(6, o.trained(), "four trials on rung 0, the better two again on rung 1");
        assertEquals(12, trainings.get(), "each job trains both channels");
        TunedSettings.Tuned best = o.best().orElseThrow();
        assertEquals(1, best.rung());
        assertEquals(6, best.epochs());
        for (TrialResult r : o.results()) {
            if (r.rung() == 1) {
                assertTrue(best.loss() <= r.loss(), "the winner has the lowest loss on the top rung: " + r);
            }
        }
        TrialResult winner = o.results().stream().filter(r -> r.trial() == best.trial() && r.rung() == 1).findFirst()
                .orElseThrow();
        assertEquals(winner.settings(), best.settings());
        assertEquals((winner.channels().get(0).valLoss() + winner.channels().get(1).valLoss()) / 2, best.loss(), 1e-12);

        TunedSettings tuned = TunedSettings.read(dir);
        TrainingConfig forS = tuned.configFor("S-7", BASE);
        assertEquals(best.settings(), HyperParameters.of(forS), "any channel of subsystem S gets the winner's settings");
        assertTrue(forS.origin().startsWith("tuned: subsystem S, trial " + best.trial()), forS.origin());
        assertEquals(BASE.maxEpochs(), forS.maxEpochs(), "the winner trains with train's own budget");
        assertSame(BASE, tuned.configFor("T-1", BASE), "a channel of an untuned subsystem keeps the options");

        ModelRelease release = CandidateFiles.toCandidate(ChannelTrainer.train(S.get(2), forS), "fixtures", "telemanom");
        HyperParameters h = best.settings();
        assertEquals(forS.origin(), release.getTrainingInfo().get("settingsFrom"), "the release says where its settings came from");
        assertEquals(h.units(), release.getArchitecture().getUnits());
        assertEquals(h.layers(), release.getArchitecture().getLayers());
        assertEquals(h.sequenceLength(), release.getSettings().getLS());
        assertEquals(h.dropout(), Double.parseDouble(release.getTrainingInfo().get("dropout")), 1e-9);
        assertEquals(h.learningRate(), Double.parseDouble(release.getTrainingInfo().get("learningRate")), 1e-12);
    }

    @Test
    void aRunKilledWhileWritingResumesTrainingOnlyTheJobsItHadNotFinished() throws IOException {
        Tuner.Outcome first = tune(PLAN, 1);
        Path journal = first.folder().resolve(TuningFiles.JOURNAL);
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        assertEquals(first.trained(), lines.size(), "one journal line per job");

        // Killed after three jobs, while the fourth's line was half written.
        Files.writeString(journal, String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).substring(0, 40),
                StandardCharsets.UTF_8);
        Files.delete(first.folder().resolve(TuningFiles.BEST));
        trainings.set(0);
        Tuner.Outcome resumed = tune(PLAN, 1);
        assertEquals(3, resumed.restored());
        assertEquals(first.trained() - 3, resumed.trained(), "the three finished jobs are not trained again");
        assertEquals(2 * resumed.trained(), trainings.get());
        assertEquals(first.best().orElseThrow().trial(), resumed.best().orElseThrow().trial(),
                "training is seeded, so the resumed run picks the same winner");
        assertEquals(first.best().get().loss(), resumed.best().get().loss(), 1e-12);

        trainings.set(0);
        Tuner.Outcome again = tune(PLAN, 2);
        assertEquals(0, again.trained(), "a finished run has nothing left to train");
        assertEquals(0, trainings.get());
        assertEquals(first.best().get().trial(), again.best().orElseThrow().trial());
    }

    @Test
    void aJournalWrittenWithAnotherSearchSpaceIsRefusedRatherThanMixedIn() {
        tune(PLAN, 2);
        Tuner.Plan other = new Tuner.Plan(4, 2, 2, 2, 2, SPACE.with("units=16"), PLAN.subsystems());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Tuner.tune("S", S, BASE, other, 1, dir, counting, line -> { }, note -> { }));
        assertTrue(e.getMessage().contains("another tuning plan"), e.getMessage());
    }

    @Test
    void aJournalOfOtherDataOrBaseSettingsIsRefused() {
        tune(PLAN, 2);
        List<ChannelData> changed = List.of(sine("S-1", 300, 2.5), S.get(1), S.get(2));
        IllegalStateException data = assertThrows(IllegalStateException.class,
                () -> Tuner.tune("S", changed, BASE, PLAN, 1, dir, counting, line -> { }, note -> { }));
        assertTrue(data.getMessage().contains("other base settings or data"), data.getMessage());
        IllegalStateException patience = assertThrows(IllegalStateException.class,
                () -> Tuner.tune("S", S, BASE.withPatience(3), PLAN, 1, dir, counting, line -> { }, note -> { }));
        assertTrue(patience.getMessage().contains("other base settings or data"), patience.getMessage());
    }

    @Test
    void aWholeLastLineWhoseNewlineWasCutOffStaysOneResult() throws IOException {
        Tuner.Outcome first = tune(PLAN, 1);
        Path journal = first.folder().resolve(TuningFiles.JOURNAL);
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        // Killed after the fourth line's closing brace, before its newline.
        Files.writeString(journal, String.join("\n", lines.subList(0, 4)), StandardCharsets.UTF_8);
        trainings.set(0);
        Tuner.Outcome resumed = tune(PLAN, 1);
        assertEquals(4, resumed.restored());
        assertEquals(lines.size() - 4, resumed.trained());
        assertEquals(lines.size(), Files.readAllLines(journal, StandardCharsets.UTF_8).size(),
                "every result on a line of its own");
        assertEquals(lines.size(), TuningFiles.journal(first.folder(), note -> { }).size());
    }

    @Test
    void trialsThatCannotTrainAreReportedAndNeverWin() {
        // l_s 400 leaves a 300-point channel too short: every trial but the base settings fails.
        Tuner.Plan plan = new Tuner.Plan(3, 2, 2, 2, 2, SPACE.with("l_s=400"), PLAN.subsystems());
        Tuner.Outcome o = tune(plan, 2);
        String summary = Tuner.summary(o);
        System.out.print(summary);
        assertEquals(0, o.best().orElseThrow().trial());
        assertEquals(2, o.results().stream().filter(r -> r.error() != null && r.error().contains("too few")).count(), summary);
        assertEquals(2, summary.lines().filter(l -> l.contains("FAILED")).count(), summary);
    }

    @Test
    void subsystemsAreTheIdPatternsGroupOrMatchAndUnmatchedIdsStandAlone() {
        Subsystems telemanom = Subsystems.matching(Subsystems.TELEMANOM_PREFIX);
        assertEquals("A", telemanom.subsystemOf("A-7"));
        assertEquals("nyc_taxi", telemanom.subsystemOf("nyc_taxi"));
        Subsystems parent = Subsystems.matching("^.*(?=/)");
        assertEquals("grid/meter-007", parent.subsystemOf("grid/meter-007/voltage_v"));
        assertEquals(List.of("A", "B"), List.copyOf(telemanom.group(List.of(sine("B-1", 10, 1), sine("A-2", 10, 1),
                sine("A-1", 10, 1))).keySet()));
    }

    private Tuner.Outcome tune(Tuner.Plan plan, int workers) {
        return Tuner.tune("S", S, BASE, plan, workers, dir, counting, line -> { }, note -> { });
    }

    private static ChannelData sine(String id, int n, double amplitude) {
        Random random = new Random(id.hashCode());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = amplitude * Math.sin(2 * Math.PI * i / 25.0) + 0.05 * amplitude * random.nextGaussian();
        }
        return new ChannelData(id, "test", v, new double[] {0}, null, null, List.of(), List.of());
    }
}
