package io.vigil.models.evaluation;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.models.data.LabelRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an evaluation as {@code evaluation.json} (every count and score, per channel and for the fleet,
 * plus the segments), {@code report.md} (the same as tables) and {@code plots/<channel>.svg}.
 */
public final class EvaluationReport {

    private EvaluationReport() {}

    /** Writes the three outputs into {@code dir}; returns the report's path. */
    public static Path write(Path dir, Evaluation.Result result, String title) {
        try {
            Files.createDirectories(dir.resolve("plots"));
            writeJson(dir.resolve("evaluation.json"), result, title);
            for (Evaluation.ChannelResult r : result.channels()) {
                Files.writeString(dir.resolve("plots").resolve(plotName(r.channel().channelId())), Plot.svg(r),
                        StandardCharsets.UTF_8);
            }
            Path report = dir.resolve("report.md");
            Files.writeString(report, markdown(result, title), StandardCharsets.UTF_8);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String plotName(String channelId) {
        return channelId.replaceAll("[^A-Za-z0-9._-]", "_") + ".svg";
    }

    /** The fleet table alone, as docs quote it. */
    public static String fleetTable(Evaluation.Result result) {
        StringBuilder s = new StringBuilder();
        s.append("| detector | channels | events | TP | FN | FP | precision | recall | F0.5 | corrected F0.5 (ESA-ADB) | point-wise F1 | points/s |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Evaluation.ChannelResult> ran = result.compared();
        for (String d : result.detectors()) {
            Counts c = result.fleet().get(d);
            double pps = ran.stream().mapToDouble(r -> r.detections().get(d).pointsPerSecond()).average().orElse(Double.NaN);
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s |%n", d, ran.size(),
                    c.truePositives() + c.falseNegatives(), c.truePositives(), c.falseNegatives(), c.falsePositives(),
                    fmt(c.precision()), fmt(c.recall()), fmt(c.f05()), fmt(c.correctedF05()), fmt(c.pointF1()),
                    Double.isNaN(pps) ? "-" : String.format(Locale.ROOT, "%,.0f", pps)));
        }
        return s.toString();
    }

    static String markdown(Evaluation.Result result, String title) {
        StringBuilder s = new StringBuilder("# ").append(title).append("\n\n");
        s.append("Event-wise counts follow Telemanom (a predicted segment overlapping a labeled event detects it,"
                + " each event counted once, a segment overlapping none is a false positive); the corrected F0.5"
                + " multiplies precision by 1 - (false-positive points / nominal points) (ESA-ADB); point-wise F1 is"
                + " for reference. No point-adjust. Fleet figures sum the counts over the channels every detector ran on.\n\n");
        s.append("## Fleet\n\n").append(fleetTable(result)).append('\n');
        if (!result.skipped().isEmpty()) {
            s.append("Not run: ").append(String.join("; ", result.skipped())).append("\n\n");
        }
        s.append(halfPrecision(result));
        s.append("## Channels\n\n");
        s.append("| channel | points | events | detector | model | TP | FN | FP | precision | recall | F0.5 | corrected F0.5 | point F1 |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Evaluation.ChannelResult r : result.channels()) {
            for (Map.Entry<String, Counts> e : r.counts().entrySet()) {
                Counts c = e.getValue();
                s.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %d | %d | %d | %s | %s | %s | %s | %s |%n",
                        r.channel().channelId(), r.channel().test().length, r.channel().labels().size(), e.getKey(),
                        r.detections().get(e.getKey()).model(), c.truePositives(), c.falseNegatives(), c.falsePositives(),
                        fmt(c.precision()), fmt(c.recall()), fmt(c.f05()), fmt(c.correctedF05()), fmt(c.pointF1())));
            }
        }
        s.append("\n## Plots\n\n");
        for (Evaluation.ChannelResult r : result.channels()) {
            s.append("### ").append(r.channel().channelId()).append("\n\n![").append(r.channel().channelId())
                    .append("](plots/").append(plotName(r.channel().channelId())).append(")\n\n");
        }
        return s.toString();
    }

    /**
     * How far the 16-bit weights' forecasts stray from float32's, as a share of each channel's test
     * range, when both ran: the price of the scorer's lossy mode next to its scores above.
     */
    static String halfPrecision(Evaluation.Result result) {
        if (!result.detectors().contains("lstm") || !result.detectors().contains("lstm-half")) {
            return "";
        }
        double worst = 0;
        double sum = 0;
        long n = 0;
        String worstChannel = "";
        for (Evaluation.ChannelResult r : result.channels()) {
            Detection exact = r.detections().get("lstm");
            Detection half = r.detections().get("lstm-half");
            if (exact == null || half == null) {
                continue;
            }
            double[] test = r.channel().test();
            double range = java.util.Arrays.stream(test).max().orElse(0) - java.util.Arrays.stream(test).min().orElse(0);
            for (int i = 0; i < test.length; i++) {
                double d = Math.abs(exact.forecast()[i] - half.forecast()[i]) / (range > 0 ? range : 1);
                if (Double.isFinite(d)) {
                    sum += d;
                    n++;
                    if (d > worst) {
                        worst = d;
                        worstChannel = r.channel().channelId();
                    }
                }
            }
        }
        return String.format(Locale.ROOT, "16-bit weights (`lstm-half`) vs float32 (`lstm`): forecasts differ by %.2e of the"
                + " channel's test range on average, %.2e at most (%s), over %,d points.%n%n", n == 0 ? Double.NaN : sum / n,
                worst, worstChannel, n);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static void writeJson(Path file, Evaluation.Result result, String title) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("title", title);
            g.writeObjectFieldStart("fleet");
            for (String d : result.detectors()) {
                g.writeFieldName(d);
                counts(g, result.fleet().get(d));
            }
            g.writeEndObject();
            g.writeArrayFieldStart("skipped");
            for (String skip : result.skipped()) {
                g.writeString(skip);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("channels");
            for (Evaluation.ChannelResult r : result.channels()) {
                g.writeStartObject();
                g.writeStringField("channel", r.channel().channelId());
                g.writeStringField("source", r.channel().source());
                g.writeNumberField("testPoints", r.channel().test().length);
                g.writeNumberField("warmUpPoints", r.stream().testOffset());
                g.writeArrayFieldStart("labels");
                for (LabelRange l : r.channel().labels()) {
                    g.writeStartArray();
                    g.writeNumber(l.first());
                    g.writeNumber(l.last());
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeObjectFieldStart("detectors");
                for (Map.Entry<String, Detection> e : r.detections().entrySet()) {
                    g.writeObjectFieldStart(e.getKey());
                    g.writeStringField("model", e.getValue().model());
                    g.writeNumberField("pointsPerSecond", Math.round(e.getValue().pointsPerSecond()));
                    g.writeFieldName("scores");
                    counts(g, r.counts().get(e.getKey()));
                    g.writeArrayFieldStart("segments");
                    for (Segment seg : e.getValue().segments()) {
                        g.writeStartArray();
                        g.writeNumber(seg.first());
                        g.writeNumber(seg.last());
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void counts(JsonGenerator g, Counts c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("truePositives", c.truePositives());
        g.writeNumberField("falseNegatives", c.falseNegatives());
        g.writeNumberField("falsePositives", c.falsePositives());
        g.writeNumberField("falsePositivePoints", c.falsePositivePoints());
        g.writeNumberField("nominalPoints", c.nominalPoints());
        g.writeNumberField("pointTruePositives", c.pointTruePositives());
        g.writeNumberField("pointFalseNegatives", c.pointFalseNegatives());
        number(g, "precision", c.precision());
        number(g, "recall", c.recall());
        number(g, "f05", c.f05());
        number(g, "correctedPrecision", c.correctedPrecision());
        number(g, "correctedF05", c.correctedF05());
        number(g, "pointPrecision", c.pointPrecision());
        number(g, "pointRecall", c.pointRecall());
        number(g, "pointF1", c.pointF1());
        g.writeEndObject();
    }

    /** Undefined scores (0/0) are null, not NaN: JSON has no NaN. */
    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }
}
