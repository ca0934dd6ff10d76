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
 * sets, and, in the test series, level changes that follow no command.
 *
 * <p>Each channel has {@code commands} one-hot command flags (columns 1..; SMAP's arrays have 24) and a
 * level per command. A command is a one-step pulse of its flag, as in Telemanom's arrays; from the next
 * step on the value relaxes towards the command's level, {@code x += RESPONSE * (level - x)}, plus
 * Gaussian noise. Commands come at random, {@code MEAN_GAP} steps apart on average. An anomaly moves
 * the value to another command's level with no flag set, holds it there for {@code ANOMALY_LENGTH}
 * steps, and lets the value return, again without a command. Its shape is the shape of every commanded
 * change, so a forecaster of the value alone sees nothing it has not seen in training; one fed the
 * commands sees a change no command called for. The label covers the departure and the return.
 *
 * <p>Seeded: the same arguments write the same bytes.
 */
public final class CommandedTelemetry {

    /** Mean steps between commands. */
    static final int MEAN_GAP = 90;
    /** Fraction of the way to the level the value covers per step. */
    static final double RESPONSE = 0.12;
    static final double NOISE = 0.01;
    /** Steps an uncommanded level is held. */
    static final int ANOMALY_LENGTH = 60;
    /** Steps the label extends past the return, while the value settles. */
    static final int SETTLE = 30;
    /** No anomaly before this test index: the scorer's warm-up and start-up rules (2 l_s) come first. */
    static final int FIRST_ANOMALY = 700;

    /** What to write. */
    public record Spec(int channels, int commands, int trainPoints, int testPoints, int anomaliesPerChannel, long seed) {
        public Spec {
            if (channels < 1 || commands < 2 || trainPoints < 100 || anomaliesPerChannel < 0) {
                throw new IllegalArgumentException("need at least one channel, two commands and 100 training points: "
                        + this);
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
        double[] levels = new double[spec.commands()];
        for (int k = 0; k < levels.length; k++) {
            levels[k] = -0.8 + 1.6 * random.nextDouble();
        }
        Process process = new Process(levels, random);
        double[][] train = new double[spec.trainPoints()][];
        for (int t = 0; t < train.length; t++) {
            train[t] = process.step(process.commandDue());
        }
        List<int[]> anomalies = anomalyStarts(spec, random);
        double[][] test = new double[spec.testPoints()][];
        int next = 0;
        for (int t = 0; t < test.length; t++) {
            if (next < anomalies.size() && t == anomalies.get(next)[0]) {
                process.departUnbidden();
            } else if (next < anomalies.size() && t == anomalies.get(next)[0] + ANOMALY_LENGTH) {
                process.returnUnbidden();
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

    /** The channel's physics: a value relaxing towards the level of the last command. */
    private static final class Process {
        private final double[] levels;
        private final SplittableRandom random;
        private double value;
        private double target;
        private int active;
        private double heldTarget;

        Process(double[] levels, SplittableRandom random) {
            this.levels = levels;
            this.random = random;
            this.active = 0;
            this.target = levels[0];
            this.value = target;
        }

        boolean commandDue() {
            return random.nextInt(MEAN_GAP) == 0;
        }

        /** One row: the value now and the flags of the command given now, whose response starts next step. */
        double[] step(boolean command) {
            double[] row = new double[1 + levels.length];
            row[0] = value;
            if (command) {
                int k = random.nextInt(levels.length - 1);
                active = k >= active ? k + 1 : k; // another command than the one in force
                row[1 + active] = 1;
                target = levels[active];
            }
            value += RESPONSE * (target - value) + NOISE * random.nextGaussian();
            return row;
        }

        /** The value heads for another command's level, though no command was given. */
        void departUnbidden() {
            heldTarget = target;
            int k = random.nextInt(levels.length - 1);
            int other = k >= active ? k + 1 : k;
            // Far enough from where it is to be a change worth calling.
            target = Math.abs(levels[other] - heldTarget) > 0.3 ? levels[other] : -Math.signum(heldTarget) * 0.7;
        }

        /** And back to the level the last command set. */
        void returnUnbidden() {
            target = heldTarget;
        }
    }
}
