package io.vigil.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.NodeLiveness;
import io.vigil.local.faults.FaultStack.Group;
import io.vigil.local.faults.FaultStack.Scorer;
import io.vigil.local.faults.Ledger.Counts;
import io.vigil.local.faults.Outcomes.Boundary;
import io.vigil.local.faults.Outcomes.Outcome;
import io.vigil.local.faults.TelemetryLoad.Input;
import io.vigil.local.faults.TelemetryLoad.Plan;
import io.vigil.schemas.Topics;
import io.vigil.topology.heartbeat.LivenessSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Faults on real brokers with the scorer in JVMs of its own, as the local stack runs it, counting every
 * record: each input offset of each partition must end as exactly one score or one dead letter in the
 * read_committed output, with no gap, no duplicate and nothing extra, and each score must equal, bit for
 * bit, the score of an uninterrupted reference run over the same input (a fresh application id, one
 * scorer, started after the faulted run is over): LSTM, baseline, threshold and liveness state restored
 * after a fault must continue exactly. Node status transitions must equal the reference's too.
 *
 * <p>Each test prints one count line; the two failover tests also print the time from the kill to the
 * first new score of each partition that moved, with and without a standby replica.
 */
class ScorerFaultsIT {

    private static final int PARTITIONS = 6;
    /** The input's last liveness checks, where runs may not have decided the same faults yet. */
    private static final long LIVENESS_TAIL_MS = 3 * LivenessSettings.DEFAULT.checkIntervalMs();
    /** Failover figures are taken at this many channels with state. */
    private static final int FAILOVER_CHANNELS = 1000;
    /** What the failover tests give the scorers: a short session timeout; static membership is added per instance. */
    private static final Map<String, String> FAST_FAILOVER = Map.of("VIGIL_SESSION_TIMEOUT_MS", "6000");

    /** Per test, under target/faults: kept after the run for its logs (data dirs are deleted). */
    private Path dir;

    @BeforeEach
    void workDir(TestInfo test) throws Exception {
        dir = Path.of("target", "faults", test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
    }

    static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void killingOneOfTwoScorersLosesNothingDuplicatesNothingAndScoresAsAnUninterruptedRun() throws Exception {
        failover("(a) kill -9 one of two scorers", 0);
    }

    @Test
    void killingOneOfTwoScorersWithAStandbyReplicaLosesNothingAndScoresAsAnUninterruptedRun() throws Exception {
        failover("(a') kill -9 one of two scorers with a standby", 1);
    }

    /**
     * 1,000 channels (every tenth with an LSTM champion of the trained models' size, 2 x 80 units), two
     * scorers with static membership ({@code group.instance.id}) and a 6 s session timeout; a backlog
     * of 30 rounds, then one round (1,000 points) a second. One scorer is killed with SIGKILL and the
     * time to the first score of each partition it held is measured from the kill; it is then started
     * again on its (uncommitted, so discarded) state dir and rejoins, and the other one is killed the
     * same way: two figures per setting.
     */
    private void failover(String label, int standbys) throws Exception {
        Plan plan = Plan.of(FAILOVER_CHANNELS, 10, 80, 30, Duration.ofSeconds(30));
        try (Run run = new Run(label, dir, 1, plan)) {
            Map<String, String> settings = new HashMap<>(FAST_FAILOVER);
            settings.put("VIGIL_STANDBY_REPLICAS", Integer.toString(standbys));
            Scorer one = run.scorer("scorer-1", withInstanceId(settings, "scorer-1"));
            Scorer two = run.scorer("scorer-2", withInstanceId(settings, "scorer-2"));
            run.awaitGroup(List.of(one, two));
            run.load.start();
            run.load.awaitRounds(30, Duration.ofSeconds(60));
            run.awaitCaughtUp(30, Duration.ofSeconds(120));
            // Live: the clock paces the load at one round a second from here.
            run.load.awaitRounds(36, Duration.ofSeconds(60));
            run.awaitCaughtUp(35, Duration.ofSeconds(60));

            Failover first = run.killAndMeasure(one, List.of(one, two));
            Scorer again = run.scorer("scorer-1", withInstanceId(settings, "scorer-1"));
            run.awaitGroup(List.of(again, two));
            run.awaitFirstScores(allPartitions(), System.currentTimeMillis(), Duration.ofSeconds(60));
            int round = run.load.rounds();
            run.load.awaitRounds(round + 4, Duration.ofSeconds(60));
            run.awaitCaughtUp(round + 2, Duration.ofSeconds(60));
            Failover second = run.killAndMeasure(two, List.of(again, two));
            run.load.awaitRounds(run.load.rounds() + 6, Duration.ofSeconds(60));

            for (Failover f : List.of(first, second)) {
                f.print(label, standbys);
            }
            run.finish(List.of(again), String.format("standby %d, scorer-1 killed at round %d and restarted, scorer-2"
                    + " killed at round %d", standbys, first.round(), second.round()));
        }
    }

    /** One kill: when, at which round, the group's rebalance, and the first score of each partition that moved. */
    record Failover(String victim, int round, long killMs, long rebalancedMs, Map<Integer, long[]> firstScores,
                    long resolvedMs, long runningMs) {

        void print(String label, int standbys) {
            StringBuilder each = new StringBuilder();
            long maxScored = 0;
            long maxRead = 0;
            for (var e : firstScores.entrySet()) {
                maxScored = Math.max(maxScored, e.getValue()[0] - killMs);
                maxRead = Math.max(maxRead, e.getValue()[1] - killMs);
                each.append(String.format(" p%d %.1f s", e.getKey(), (e.getValue()[0] - killMs) / 1e3));
            }
            System.out.printf("failover %s: %d channels, standby.replicas %d, static membership (group.instance.id),"
                            + " session.timeout.ms 6000, %s killed: kill -> group rebalanced %.1f s; -> first score of"
                            + " each moved partition:%s (all moved %.1f s, %.1f s after the rebalance; visible to"
                            + " read_committed %.1f s); the survivor RUNNING again (restored) %s; the killed scorer's"
                            + " open transaction resolved %s%n", label, FAILOVER_CHANNELS, standbys, victim,
                    (rebalancedMs - killMs) / 1e3, each, maxScored / 1e3, (maxScored - (rebalancedMs - killMs)) / 1e3,
                    maxRead / 1e3, since(runningMs), since(resolvedMs));
        }

        private String since(long ms) {
            return ms < 0 ? "(not seen)" : String.format("%.1f s", (ms - killMs) / 1e3);
        }
    }

    private static Map<String, String> withInstanceId(Map<String, String> settings, String id) {
        Map<String, String> out = new HashMap<>(settings);
        out.put("VIGIL_GROUP_INSTANCE_ID", id);
        return out;
    }

    /**
     * 300 channels at four rounds a second: one scorer, then three (the group must give each new
     * instance partitions), then one again (two stopped with SIGTERM, as a scale-down does), all while
     * the producer runs.
     */
    @Test
    void scalingFromOneToThreeScorersAndBackWhileProducingLosesNothingAndScoresAsAnUninterruptedRun() throws Exception {
        Plan plan = Plan.of(300, 10, 8, 30, Duration.ofSeconds(300));
        try (Run run = new Run("(b) scale 1 -> 3 -> 1 scorers", dir, 1, plan)) {
            run.load.pace(4);
            Scorer one = run.scorer("scorer-1", FAST_FAILOVER);
            run.awaitGroup(List.of(one));
            run.load.start();
            run.load.awaitRounds(20, Duration.ofSeconds(60));

            long upMs = System.currentTimeMillis();
            Scorer two = run.scorer("scorer-2", FAST_FAILOVER);
            Scorer three = run.scorer("scorer-3", FAST_FAILOVER);
            Group three1 = run.awaitGroup(List.of(one, two, three));
            long scaledUpMs = System.currentTimeMillis();
            run.awaitFirstScores(allPartitions(), scaledUpMs, Duration.ofSeconds(60));
            run.load.awaitRounds(run.load.rounds() + 20, Duration.ofSeconds(60));

            long downMs = System.currentTimeMillis();
            boolean graceful = one.stop(Duration.ofSeconds(60)) & two.stop(Duration.ofSeconds(60));
            Group single = run.awaitGroup(List.of(three));
            long scaledDownMs = System.currentTimeMillis();
            run.awaitFirstScores(allPartitions(), scaledDownMs, Duration.ofSeconds(60));
            run.load.awaitRounds(run.load.rounds() + 20, Duration.ofSeconds(60));

            run.finish(List.of(three), String.format("3 instances stable %.1f s after the two started (%s); scale-down"
                            + " (SIGTERM, %s) to one owner of all partitions in %.1f s", (scaledUpMs - upMs) / 1e3,
                    three1.members().values(), graceful ? "clean exits" : "NOT clean", (scaledDownMs - downMs) / 1e3));
            assertTrue(graceful, "the scaled-down scorers stop on SIGTERM within 60 s");
            assertEquals(1, single.members().size());
        }
    }

    /** 300 channels, two scorers; the only broker is killed with SIGKILL mid-stream and started again on its data. */
    @Test
    void restartingTheSingleBrokerMidStreamLosesNothingAndScoresAsAnUninterruptedRun() throws Exception {
        Plan plan = Plan.of(300, 10, 8, 30, Duration.ofSeconds(300));
        try (Run run = new Run("(c) kill -9 and restart the single broker", dir, 1, plan)) {
            run.load.pace(4);
            Scorer one = run.scorer("scorer-1", FAST_FAILOVER);
            Scorer two = run.scorer("scorer-2", FAST_FAILOVER);
            run.awaitGroup(List.of(one, two));
            run.load.start();
            run.load.awaitRounds(40, Duration.ofSeconds(60));
            run.awaitCaughtUp(35, Duration.ofSeconds(60));

            long killMs = System.currentTimeMillis();
            run.stack.cluster.kill(1);
            run.stack.cluster.restart(1, Duration.ofSeconds(90));
            long backMs = System.currentTimeMillis();
            run.awaitFirstScores(allPartitions(), backMs, Duration.ofSeconds(120));
            long resumedMs = System.currentTimeMillis();
            run.load.awaitRounds(run.load.rounds() + 20, Duration.ofSeconds(60));

            boolean bothAlive = one.isAlive() && two.isAlive();
            run.finish(List.of(one, two), String.format("broker down %.1f s, every partition scored again %.1f s after"
                    + " it was back, scorers %s", (backMs - killMs) / 1e3, (resumedMs - backMs) / 1e3,
                    bothAlive ? "both survived" : "NOT both alive"));
            assertTrue(bothAlive, "a broker restart must not end a scorer process");
        }
    }

    /**
     * Three brokers (replication 3, min.insync.replicas 2), two scorers; the broker that coordinates the
     * scorers' group is killed with SIGKILL mid-stream, later restarted on its ports and data.
     */
    @Test
    void killingOneBrokerOfThreeMidStreamLosesNothingAndScoresAsAnUninterruptedRun() throws Exception {
        Plan plan = Plan.of(300, 10, 8, 30, Duration.ofSeconds(300));
        try (Run run = new Run("(d) kill -9 one broker of three", dir, 3, plan)) {
            run.load.pace(4);
            Scorer one = run.scorer("scorer-1", FAST_FAILOVER);
            Scorer two = run.scorer("scorer-2", FAST_FAILOVER);
            run.awaitGroup(List.of(one, two));
            run.load.start();
            run.load.awaitRounds(40, Duration.ofSeconds(60));
            run.awaitCaughtUp(35, Duration.ofSeconds(60));

            int victim = run.stack.admin().describeConsumerGroups(List.of(run.app)).all().get(10, TimeUnit.SECONDS)
                    .get(run.app).coordinator().id();
            long killMs = System.currentTimeMillis();
            run.stack.cluster.kill(victim);
            run.awaitFirstScores(allPartitions(), killMs, Duration.ofSeconds(120));
            long resumedMs = System.currentTimeMillis();
            run.load.awaitRounds(run.load.rounds() + 12, Duration.ofSeconds(60));
            run.stack.cluster.restart(victim, Duration.ofSeconds(90));
            boolean inSync = run.stack.cluster.awaitFullyReplicated(Duration.ofSeconds(90));
            long rejoinedMs = System.currentTimeMillis();
            run.load.awaitRounds(run.load.rounds() + 12, Duration.ofSeconds(60));

            boolean bothAlive = one.isAlive() && two.isAlive();
            run.finish(List.of(one, two), String.format("killed node %d (the group coordinator), every partition scored"
                            + " again %.1f s after the kill, node back %s %.1f s after the kill, scorers %s", victim,
                    (resumedMs - killMs) / 1e3, inSync ? "and fully in sync" : "but NOT in sync", (rejoinedMs - killMs) / 1e3,
                    bothAlive ? "both survived" : "NOT both alive"));
            assertTrue(inSync, "the restarted broker rejoins every ISR");
            assertTrue(bothAlive, "losing one broker of three must not end a scorer process");
        }
    }

    private static Set<Integer> allPartitions() {
        Set<Integer> all = new TreeSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(p);
        }
        return all;
    }

    /** One scenario: its stack, load and outcome reader; {@link #finish} accounts for everything. */
    private static final class Run implements AutoCloseable {

        final String label;
        final String app;
        final FaultStack stack;
        final TelemetryLoad load;
        final Outcomes outcomes;
        private final long startedNanos = System.nanoTime();

        Run(String label, Path dir, int brokers, Plan plan) throws Exception {
            this.label = label;
            this.app = "vigil-fault-" + Long.toHexString(System.nanoTime());
            this.stack = FaultStack.start(dir, brokers, PARTITIONS);
            TelemetryLoad l = null;
            Outcomes o = null;
            try {
                l = new TelemetryLoad(stack.bootstrapServers(), stack.registryUrl(), plan);
                l.publishModels(stack.registryUrl());
                o = new Outcomes(stack.bootstrapServers(), stack.registryUrl(), PARTITIONS);
            } catch (Exception | AssertionError e) {
                if (l != null) {
                    l.close();
                }
                stack.close();
                throw e;
            }
            this.load = l;
            this.outcomes = o;
        }

        Scorer scorer(String name, Map<String, String> settings) throws Exception {
            return stack.startScorer(name, app, settings);
        }

        Group awaitGroup(List<Scorer> members) throws InterruptedException {
            return stack.awaitGroup(app, members, Duration.ofSeconds(120));
        }

        Group awaitGroupOf(int members, Duration timeout) throws InterruptedException {
            Group[] last = new Group[1];
            FaultStack.await("group " + app + " stable with " + members + " member(s)", timeout, 100, () -> {
                last[0] = stack.group(app);
                return last[0].stableWith(members);
            });
            return last[0];
        }

        /** Waits until every input of the rounds before {@code round} has an outcome. */
        void awaitCaughtUp(int round, Duration timeout) throws InterruptedException {
            long[] missing = new long[1];
            try {
                FaultStack.await("outcomes of every input before round " + round, timeout, 500, () -> {
                    missing[0] = load.acknowledged().stream().filter(i -> i.round() < round && !outcomes.hasOutcome(i))
                            .count();
                    return missing[0] == 0;
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + missing[0] + " inputs without an outcome; scorer logs in "
                        + stack.dir.resolve("logs"), e);
            }
        }

        /**
         * Waits until each of {@code partitions} has a committed score scored after {@code sinceMs};
         * returns, per partition, the earliest such score's {@code scoredAt} and when it was read.
         */
        Map<Integer, long[]> awaitFirstScores(Set<Integer> partitions, long sinceMs, Duration timeout)
                throws InterruptedException {
            Map<Integer, long[]> first = new TreeMap<>();
            int[] cursor = {0};
            FaultStack.await("a score after " + sinceMs + " on each partition of " + partitions, timeout, 100, () -> {
                List<Outcome<ChannelScore>> fresh = outcomes.scoresAfter(cursor[0]);
                cursor[0] += fresh.size();
                for (Outcome<ChannelScore> o : fresh) {
                    long scored = o.value().getScoredAt().toEpochMilli();
                    if (partitions.contains(o.partition()) && scored >= sinceMs) {
                        first.merge(o.partition(), new long[] {scored, o.readAtMs()},
                                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.min(a[1], b[1])});
                    }
                }
                return first.keySet().containsAll(partitions);
            });
            return first;
        }

        /**
         * Kills {@code victim} (SIGKILL) once the group of {@code members} is stable, waits until the one
         * left owns every partition, and measures the first score of each partition the victim held.
         */
        Failover killAndMeasure(Scorer victim, List<Scorer> members) throws Exception {
            Group before = awaitGroup(members);
            Map<Integer, Long> written = scoreEnds(org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED);
            long killMs = System.currentTimeMillis();
            victim.kill();
            int round = load.rounds();
            // When does read_committed see past what the killed scorer had written (its open transaction aborted)?
            long[] resolvedMs = {-1};
            Thread watcher = new Thread(() -> {
                long deadline = System.currentTimeMillis() + 60_000;
                try {
                    while (System.currentTimeMillis() < deadline) {
                        Map<Integer, Long> committed = scoreEnds(org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
                        if (written.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
                            resolvedMs[0] = System.currentTimeMillis();
                            return;
                        }
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // reported as unresolved
                }
            }, "fault-test-lso-watch");
            watcher.start();
            Group after = awaitGroupOf(1, Duration.ofSeconds(120));
            long rebalancedMs = System.currentTimeMillis();
            String survivor = after.members().keySet().iterator().next();
            assertTrue(before.members().containsKey(survivor), "the survivor kept its member id: " + before + " / " + after);
            Set<Integer> moved = new TreeSet<>();
            before.members().forEach((member, partitions) -> {
                if (!member.equals(survivor)) {
                    moved.addAll(partitions);
                }
            });
            assertTrue(!moved.isEmpty(), "the killed scorer held partitions: " + before);
            Map<Integer, long[]> first = awaitFirstScores(moved, killMs, Duration.ofSeconds(120));
            watcher.join(70_000);
            Scorer left = members.stream().filter(m -> m != victim).findFirst().orElseThrow();
            return new Failover(victim.name(), round, killMs, rebalancedMs, first, resolvedMs[0],
                    runningAgainMs(left, killMs));
        }

        /** Read_committed or log end offsets of vigil.scores, by partition. */
        private Map<Integer, Long> scoreEnds(org.apache.kafka.common.IsolationLevel level) throws Exception {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(Topics.SCORES.name(), p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new TreeMap<>();
            stack.admin().listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions(level)).all()
                    .get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        }

        /**
         * When the scorer's log says Streams went RUNNING again after the kill (restoration done), from its
         * {@code HH:mm:ss.SSS} stamps; -1 if it does not say.
         */
        private static long runningAgainMs(Scorer scorer, long killMs) {
            try {
                java.time.LocalDate day = java.time.Instant.ofEpochMilli(killMs).atZone(java.time.ZoneId.systemDefault())
                        .toLocalDate();
                boolean rebalancing = false;
                for (String line : Files.readAllLines(scorer.process().logFile())) {
                    if (!line.contains("streams state") || line.length() < 12) {
                        continue;
                    }
                    long at = java.time.LocalTime.parse(line.substring(0, 12)).atDate(day)
                            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
                    if (at < killMs) {
                        continue;
                    }
                    if (line.contains("to=\"REBALANCING\"")) {
                        rebalancing = true;
                    } else if (rebalancing && line.contains("to=\"RUNNING\"")) {
                        return at;
                    }
                }
            } catch (java.io.IOException | java.time.DateTimeException e) {
                // no figure
            }
            return -1;
        }

        /**
         * Stops the load, waits until every input has an outcome, stops {@code scorers}, then runs the
         * reference scorer over the same input; prints the count line and asserts.
         */
        void finish(List<Scorer> scorers, String note) throws Exception {
            List<Input> inputs = load.stop();
            long lastHeartbeat = load.lastHeartbeatTime();
            Ledger ledger = new Ledger(inputs);
            Map<Integer, Long> perPartition = ledger.offsetsPerPartition(Topics.TELEMETRY.name());
            Map<Integer, Long> ends = telemetryEnds();
            assertEquals(ends, perPartition, "every record on the telemetry topic is an input the test knows");

            Counts live = awaitComplete(ledger, Boundary.start(), Duration.ofSeconds(180));
            for (Scorer s : scorers) {
                assertTrue(s.isAlive(), s.name() + " exited (code " + (s.isAlive() ? "" : s.process().exitValue())
                        + "); see " + s.process().logFile());
            }
            scorers.parallelStream().forEach(s -> s.stop(Duration.ofSeconds(60)));
            Boundary end = outcomes.settle(Duration.ofSeconds(90));
            Counts run = ledger.count(outcomes.phase(Boundary.start(), end));

            long refStart = System.nanoTime();
            Scorer reference = stack.startScorer("reference", app + "-reference", Map.of());
            Counts ref = awaitComplete(ledger, end, Duration.ofSeconds(240));
            reference.stop(Duration.ofSeconds(60));
            Boundary refEnd = outcomes.settle(Duration.ofSeconds(90));
            ref = ledger.count(outcomes.phase(end, refEnd));
            double refSeconds = (System.nanoTime() - refStart) / 1e9;

            List<String> differing = ledger.differences(run, ref);
            // A fault is decided at a stream-time check at or after its deadline, and checks come every
            // liveness.check.interval.ms of stream time from where each task's clock started: one whose
            // deadline falls in the input's last intervals is decided in one run and not yet in another.
            long comparedUntil = lastHeartbeat - LIVENESS_TAIL_MS;
            Map<String, Integer> transitions = Ledger.transitions(outcomes.phase(Boundary.start(), end).nodeStatus(),
                    comparedUntil);
            Map<String, Integer> refTransitions = Ledger.transitions(outcomes.phase(end, refEnd).nodeStatus(), comparedUntil);
            int repeated = transitions.values().stream().mapToInt(n -> n - 1).sum();
            long faulted = refTransitions.keySet().stream().filter(t -> t.contains(" " + NodeLiveness.FAULTED + " ")).count();

            System.out.printf("fault %s: inputs %d (telemetry over %d partitions: %s), scores %d, dead letters %d, duplicates %d,"
                            + " missing %d, extra %d, wrong outcome %d, scores differing from reference %d; node transitions %d"
                            + " (reference %d, %s), repeated %d; %s; run %.0f s (reference %.0f s)%n",
                    label, run.inputs(), perPartition.size(), perPartition.values(), run.scores(), run.deadLetters(),
                    run.duplicates(), run.missing(), run.extra(), run.wrongKind(), differing.size(),
                    transitions.values().stream().mapToInt(Integer::intValue).sum(),
                    refTransitions.values().stream().mapToInt(Integer::intValue).sum(),
                    transitions.equals(refTransitions) ? "same" : "DIFFERENT", repeated, note,
                    (System.nanoTime() - startedNanos) / 1e9, refSeconds);
            System.out.printf("  %s: LSTM scores %d, dead letters by reason %s; reference: %s%n", label, run.lstmScores(),
                    run.reasons(), ref.summary());
            if (!run.examples().isEmpty()) {
                System.out.printf("  first problems: %s%n", run.examples());
            }
            if (!differing.isEmpty()) {
                System.out.printf("  first differences: %s%n", differing.subList(0, Math.min(5, differing.size())));
            }
            assertTrue(ref.clean(), "the reference run accounts for every input: " + ref.summary() + " " + ref.examples());
            assertTrue(ref.lstmScores() > 0 && faulted > 0, "LSTM channels and faulted nodes are covered: " + ref.summary()
                    + " " + refTransitions.keySet());
            assertTrue(live.complete(), "every input had an outcome within the deadline: " + live.summary());
            assertEquals(0, run.missing(), "inputs without an outcome: " + run.examples());
            assertEquals(0, run.duplicates(), "inputs with more than one outcome: " + run.examples());
            assertEquals(0, run.extra(), "outcomes of no input: " + run.examples());
            assertEquals(0, run.wrongKind(), "inputs with the wrong kind of outcome: " + run.examples());
            assertEquals(List.of(), differing.subList(0, Math.min(5, differing.size())),
                    differing.size() + " outcomes differ from the uninterrupted run");
            assertEquals(refTransitions, transitions, "node status transitions equal the uninterrupted run's");
        }

        /** Waits until every input has an outcome among the records from {@code from}; returns the counts then. */
        private Counts awaitComplete(Ledger ledger, Boundary from, Duration timeout) throws InterruptedException {
            outcomes.indexFrom(from);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ledger.inputs().stream().anyMatch(i -> !outcomes.hasOutcome(i)) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            return ledger.count(outcomes.phase(from, null));
        }

        private Map<Integer, Long> telemetryEnds() throws Exception {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(Topics.TELEMETRY.name(), p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new TreeMap<>();
            stack.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        }

        @Override
        public void close() throws Exception {
            try {
                load.close();
                outcomes.close();
            } finally {
                stack.close();
                deleteTree(stack.dir.resolve("kafka"));
                deleteTree(stack.dir.resolve("state"));
            }
        }
    }
}
