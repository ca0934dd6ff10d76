package io.vigil.models.evaluation;

import io.vigil.models.data.LabelRange;
import java.util.Locale;
import java.util.Map;

/**
 * One channel as an SVG: value and forecast on top, the thresholded score and its threshold below (of
 * the first detector that forecasts), labeled events as green bands across both, and one row of red
 * bars per detector for what it predicted. Long series are drawn as the min and max of each pixel
 * column, so a one-point spike stays visible.
 */
final class Plot {

    private static final int WIDTH = 1200;
    private static final int LEFT = 110;
    private static final int PLOT_WIDTH = WIDTH - LEFT - 20;
    private static final int TOP_H = 200;
    private static final int BOTTOM_H = 120;
    private static final int ROW_H = 16;
    private static final String[] COLORS = {"#d62728", "#ff7f0e", "#9467bd", "#8c564b"};

    private Plot() {}

    static String svg(Evaluation.ChannelResult r) {
        int n = r.channel().test().length;
        Map<String, Detection> detections = r.detections();
        Detection primary = detections.values().stream().filter(d -> hasAny(d.forecast())).findFirst()
                .orElse(detections.values().stream().findFirst().orElse(null));
        int rows = detections.size();
        int topY = 30;
        int bottomY = topY + TOP_H + 20;
        int rowsY = bottomY + BOTTOM_H + 20;
        int height = rowsY + rows * (ROW_H + 4) + 30;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s (%d test points, %d labeled events)"
                + "%s</text>%n", LEFT, escape(r.channel().channelId()), n, r.channel().labels().size(),
                primary == null ? "" : escape(", lines: " + primary.detector() + " " + primary.model())));
        for (LabelRange l : r.channel().labels()) {
            double x0 = x(l.first(), n);
            double x1 = x(l.last() + 1, n);
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#2ca02c\""
                    + " fill-opacity=\"0.18\"/>%n", x0, topY, Math.max(1, x1 - x0), rowsY + rows * (ROW_H + 4) - topY));
        }
        s.append(panel("value / forecast", topY, TOP_H));
        s.append(line(r.channel().test(), n, topY, TOP_H, "#222", r.channel().test(), primary == null ? null : primary.forecast()));
        if (primary != null) {
            s.append(line(primary.forecast(), n, topY, TOP_H, "#1f77b4", r.channel().test(), primary.forecast()));
            s.append(panel("score / threshold", bottomY, BOTTOM_H));
            s.append(line(primary.score(), n, bottomY, BOTTOM_H, "#ff7f0e", primary.score(), primary.threshold()));
            s.append(line(primary.threshold(), n, bottomY, BOTTOM_H, "#d62728", primary.score(), primary.threshold()));
        }
        int row = 0;
        for (Detection d : detections.values()) {
            int y = rowsY + row * (ROW_H + 4);
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
                    y + ROW_H - 3, escape(d.detector())));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>%n",
                    LEFT, y, PLOT_WIDTH, ROW_H));
            for (Segment seg : d.segments()) {
                double x0 = x(seg.first(), n);
                double x1 = x(seg.last() + 1, n);
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        x0, y, Math.max(1.5, x1 - x0), ROW_H, COLORS[row % COLORS.length]));
            }
            row++;
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">green: labeled events; bars: predicted"
                + " segments; index 0 .. %d of the test series</text>%n", LEFT, height - 8, n - 1));
        return s.append("</svg>\n").toString();
    }

    private static String panel(String label, int y, int h) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>%n"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT, y, PLOT_WIDTH, h, LEFT - 6, y + 14, label);
    }

    /** A polyline of {@code values} scaled to the range of {@code a} and {@code b} together. */
    private static String line(double[] values, int n, int y, int h, String color, double[] a, double[] b) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] arr : new double[][] {a, b}) {
            if (arr == null) {
                continue;
            }
            for (double v : arr) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max >= min)) {
            return "";
        }
        double span = max > min ? max - min : 1;
        StringBuilder points = new StringBuilder();
        int columns = Math.min(n, PLOT_WIDTH);
        for (int col = 0; col < columns; col++) {
            int from = (int) ((long) col * n / columns);
            int to = (int) ((long) (col + 1) * n / columns);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                if (Double.isFinite(values[i])) {
                    lo = Math.min(lo, values[i]);
                    hi = Math.max(hi, values[i]);
                }
            }
            if (lo > hi) {
                continue;
            }
            double px = x(from, n);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, y + h - (lo - min) / span * (h - 4) - 2));
            if (hi > lo) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, y + h - (hi - min) / span * (h - 4) - 2));
            }
        }
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1\" points=\"%s\"/>%n",
                color, points.toString().trim());
    }

    private static double x(int index, int n) {
        return LEFT + (double) index / Math.max(1, n) * PLOT_WIDTH;
    }

    private static boolean hasAny(double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
