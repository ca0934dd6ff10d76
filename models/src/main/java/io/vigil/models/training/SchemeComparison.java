package io.vigil.models.training;

import io.vigil.models.data.ChannelData;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains one channel once per config and prints, per run, the time, epochs and validation loss, so
 * schemes can be compared on the same data ({@code models compare}).
 */
public final class SchemeComparison {

    /**
     * One run's figures.
     *
     * @param windowedLoss the validation loss measured Telemanom's way: each held-out value predicted from
     *     the l_s values before it, from a zero state (a window), instead of with the state carried
     */
    public record Run(String label, TrainedModel model, double secondsPerEpoch, double windowedLoss, long peakRssBytes) {}

    private SchemeComparison() {}

    public static List<Run> compare(ChannelData data, List<TrainingConfig> configs, PrintWriter out) {
        List<Run> runs = new ArrayList<>();
        out.printf(Locale.ROOT, "channel %s: %d training points (%d test)%n", data.channelId(), data.train().length,
                data.test().length);
        for (TrainingConfig config : configs) {
            String label = label(config);
            long[] epochStart = {System.nanoTime()};
            TrainedModel model = ChannelTrainer.train(data, config, (channel, epoch, loss, best) -> {
                long now = System.nanoTime();
                out.printf(Locale.ROOT, "  %-22s epoch %3d  val %.6f  best %.6f  %.1f s%n", label, epoch, loss, best,
                        (now - epochStart[0]) / 1e9);
                out.flush();
                epochStart[0] = now;
            });
            float[][] scaled = ChannelTrainer.features(data, model.bounds(), model.inputs());
            double windowed = new Validation(scaled, model.fitPoints(), config.sequenceLength(), 1).loss(model.network());
            Run run = new Run(label, model, model.seconds() / Math.max(1, model.epochs()), windowed,
                    MemoryBudget.peakRssBytes());
            runs.add(run);
            out.println(describe(run));
        }
        return runs;
    }

    public static String label(TrainingConfig c) {
        return c.scheme() == Scheme.TBPTT
                ? "tbptt l_s=" + c.sequenceLength() + " chunks=" + (c.chunks() == 0 ? "auto" : c.chunks())
                : "windows l_s=" + c.sequenceLength() + " batch=" + c.batchSize();
    }

    public static String describe(Run r) {
        TrainedModel m = r.model();
        return String.format(Locale.ROOT, "%s: %d epochs (best %d), val loss %.6f streaming (initial %.6f), %.6f windowed,"
                        + " %.1f s total, %.2f s/epoch, %.2f s per 1,000 points, sequences %d, peak RSS %d MiB",
                r.label(), m.epochs(), m.bestEpoch(), m.valLoss(), m.valHistory()[0], r.windowedLoss(), m.seconds(),
                r.secondsPerEpoch(), m.secondsPerThousandPoints(), m.chunks(), r.peakRssBytes() >> 20);
    }
}
