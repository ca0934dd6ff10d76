package io.vigil.models.synthetic;

import io.vigil.datasets.Npy;
import io.vigil.datasets.TelemanomLabels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A Telemanom-layout data set in which command inputs drive the value, with anomalies that only the
 * commands give away: a spacecraft housekeeping channel that settles towards the level each command
 * sets, and, in the test series, commands the value does not follow.
 *
 * <p>Each channel has {@code commands} one-hot command columns (columns 1..; SMAP's arrays have 24), of
 * which {@value #USED_COMMANDS} are ever set, each commanding its own level (as in SMAP, most of a
 * channel's command columns stay 0). The column of the command in force is 1 for as long as it is in
 * force (a mode, such as a heater switched on), the others 0. From the step after a command the value
 * relaxes towards its level, {@code x += RESPONSE * (level - x)}, plus Gaussian noise. Commands come at
 * random, {@code MEAN_GAP} steps apart on average. An anomaly is a command the value does not follow:
 * it stays where it was for {@code ANOMALY_LENGTH} steps (a stuck valve, a heater that did not switch)
 * and only then settles to the commanded level. A forecaster of the value alone sees a flat stretch
 * like many in training; one fed the commands expects the value to move towards the commanded level
 * at every step of it. The label covers the command, the stuck stretch and the late settling; no other
 * command comes shortly before or during it.
 *
 * <p>A one-step pulse per command (the other reading of Telemanom's columns) was tried first: a value
 * relaxing towards a new level shows the change itself one step after the pulse, so a network learns
 * to forget the pulse at once, and a command not followed raised its error for one step only; neither
 * model found those anomalies (docs/evaluation.md).
 *
 * <p>Seeded: the same arguments write the same bytes.
 */
public final class CommandedTelemetry {

    /** Command columns ever set; the levels they set are spread over [-0.6, 0.6]. */
    static final int USED_COMMANDS = 4;
    /** Mean steps between commands. */
    static final int MEAN_GAP = 70;
    /** Fraction of the way to the level the value covers per step. */
    static final double RESPONSE = 0.2;
    static final double NOISE = 0.01;
    /** Steps the value ignores the anomaly's command. */
    static final int ANOMALY_LENGTH = 60;
    /** Steps the label extends past the return, while the value settles. */
    static final int SETTLE = 30;
    /** No anomaly before this test index: the scorer's warm-up and start-up rules (2 l_s) come first. */
    static final int FIRST_ANOMALY = 700;

    /** What to write. */
    public record Spec(int channels, int commands, int trainPoints, int testPoints, int anomaliesPerChannel, long seed) {
        public Spec {
            if (channels < 1 || commands < USED_COMMANDS || trainPoints < 100 || anomaliesPerChannel < 0) {
                throw new IllegalArgumentException("need at least one channel, " + USED_COMMANDS + " commands and 100"
                        + " training points: " + this);
            }
            int room = testPoints - FIRST_ANOMALY;
            if (room < anomaliesPerChannel * 4 * (ANOMALY_LENGTH + SETTLE)) {
                throw new IllegalArgumentException(testPoints + " test points leave no room for " + anomaliesPerChannel
                        + " anomalies after index " + FIRST_ANOMALY);
            }
        }
    }

    /** One channel: the arrays (rows of value then flags) and its labeled index ranges. */
    record Channel(String id, double[][] train, double[][] test, List<int[]> anomalies) {}

    private CommandedTelemetry() {}

    /** Writes {@code train/}, {@code test/} and {@code labeled_anomalies.csv} under {@code root}; returns the channel ids. */
    public static List<String> write(Path root, Spec spec) {
        StringBuilder labels = new StringBuilder("chan_id,spacecraft,anomaly_sequences,class,num_values\n");
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < spec.channels(); c++) {
            Channel channel = channel("C-" + (c + 1), spec, new SplittableRandom(spec.seed() * 1_000_003L + c));
            Npy.write(root.resolve("train").resolve(channel.id() + ".npy"), channel.train());
            Npy.write(root.resolve("test").resolve(channel.id() + ".npy"), channel.test());
            List<String> ranges = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (int[] a : channel.anomalies()) {
                ranges.add("[" + a[0] + ", " + a[1] + "]");
                kinds.add("contextual");
            }
            labels.append(String.format(Locale.ROOT, "%s,SYNTH,\"[%s]\",\"[%s]\",%d%n", channel.id(),
                    String.join(", ", ranges), String.join(", ", kinds), channel.test().length));
            ids.add(channel.id());
        }
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve(TelemanomLabels.FILE), labels, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(TelemanomLabels.FILE), e);
        }
        return ids;
    }

    static Channel channel(String id, Spec spec, SplittableRandom random) {
        double[] levels = new double[USED_COMMANDS];
        for (int k = 0; k < levels.length; k++) {
            levels[k] = -0.6 + 1.2 * k / (USED_COMMANDS - 1);
        }
        for (int k = levels.length - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            double t = levels[k];
            levels[k] = levels[j];
            levels[j] = t;
        }
        Process process = new Process(levels, spec.commands(), random);
        double[][] train = new double[spec.trainPoints()][];
        for (int t = 0; t < train.length; t++) {
            train[t] = process.step(process.commandDue());
        }
        List<int[]> anomalies = anomalyStarts(spec, random);
        double[][] test = new double[spec.testPoints()][];
        int next = 0;
        for (int t = 0; t < test.length; t++) {
            if (next < anomalies.size() && t == anomalies.get(next)[0]) {
                test[t] = process.ignoredCommand();
                continue;
            }
            if (next < anomalies.size() && t == anomalies.get(next)[0] + ANOMALY_LENGTH) {
                process.followLate();
                next++;
            }
            test[t] = process.step(!quiet(anomalies, t) && process.commandDue());
        }
        return new Channel(id, train, test, anomalies);
    }

    /**
     * No command shortly before an anomaly, during it or while the value settles after it: the label
     * is about the uncommanded change alone.
     */
    private static boolean quiet(List<int[]> anomalies, int t) {
        for (int[] a : anomalies) {
            if (t >= a[0] - SETTLE && t <= a[1]) {
                return true;
            }
        }
        return false;
    }

    /** Start and last labeled index of each anomaly, spread over the test series after {@link #FIRST_ANOMALY}. */
    private static List<int[]> anomalyStarts(Spec spec, SplittableRandom random) {
        List<int[]> out = new ArrayList<>();
        int n = spec.anomaliesPerChannel();
        if (n == 0) {
            return out;
        }
        int span = (spec.testPoints() - FIRST_ANOMALY) / n;
        int length = ANOMALY_LENGTH + SETTLE;
        for (int i = 0; i < n; i++) {
            int from = FIRST_ANOMALY + i * span;
            int start = from + random.nextInt(Math.max(1, span - 2 * length));
            out.add(new int[] {start, start + length});
        }
        return out;
    }

    /** The channel's physics: a value relaxing towards the level of the last command it followed. */
    private static final class Process {
        private final double[] levels;
        private final int columns;
        private final SplittableRandom random;
        private double value;
        private double target;
        private int active;

        Process(double[] levels, int columns, SplittableRandom random) {
            this.levels = levels;
            this.columns = columns;
            this.random = random;
            this.active = 0;
            this.target = levels[0];
            this.value = target;
        }

        boolean commandDue() {
            return random.nextInt(MEAN_GAP) == 0;
        }

        /** One row: the value now and the command in force, a new one given now if due; the response starts next step. */
        double[] step(boolean command) {
            if (command) {
                active = another();
                target = levels[active];
            }
            double[] row = row(active);
            advance();
            return row;
        }

        /** A command given now that the value does not follow: the column changes, the target stays. */
        double[] ignoredCommand() {
            active = another();
            double[] row = row(active);
            advance();
            return row;
        }

        /** The value settles to the command in force after all. */
        void followLate() {
            target = levels[active];
        }

        private double[] row(int inForce) {
            double[] row = new double[1 + columns];
            row[0] = value;
            row[1 + inForce] = 1;
            return row;
        }

        private void advance() {
            value += RESPONSE * (target - value) + NOISE * random.nextGaussian();
        }

        /** A used command other than the one in force. */
        private int another() {
            int k = random.nextInt(levels.length - 1);
            return k >= active ? k + 1 : k;
        }
    }
}
