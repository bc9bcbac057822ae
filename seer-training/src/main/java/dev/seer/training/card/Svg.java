package dev.seer.training.card;

import java.util.List;
import java.util.Locale;

/**
 * Small self-contained SVG charts for model cards: no script, no fonts or styles fetched, so a
 * card opens the same offline, in a regulator's archive, as on the day it was written.
 */
final class Svg {
    static final int SIZE = 320;
    private static final int PAD = 40;

    private Svg() {}

    /** A series of points, drawn as a polyline. */
    record Series(String name, double[] x, double[] y, String colour) {}

    /** A line chart over [0, 1] x [0, 1] with axis labels and an optional diagonal. */
    static String lines(String title, String xLabel, String yLabel, List<Series> series, boolean diagonal) {
        StringBuilder svg = open(title);
        axes(svg, xLabel, yLabel);
        if (diagonal) {
            svg.append(line(0, 0, 1, 1, "#bbbbbb", "4 3"));
        }
        int legend = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                points.append(fmt(px(s.x()[i]))).append(',').append(fmt(py(s.y()[i]))).append(' ');
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(s.colour()).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim()).append("\"/>\n");
            svg.append(text(PAD + 8, PAD + 14 + 14 * legend++, s.name(), s.colour(), "start"));
        }
        return svg.append("</svg>\n").toString();
    }

    /** A confusion matrix as a grid of counts, darker for more. */
    static String matrix(String title, List<String> classes, long[][] counts) {
        StringBuilder svg = open(title);
        int k = classes.size();
        double cell = (SIZE - 2.0 * PAD) / k;
        long max = 1;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                double shade = (double) counts[t][p] / max;
                int level = (int) Math.round(255 - 180 * shade);
                double x = PAD + p * cell;
                double y = PAD + t * cell;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                        + " fill=\"rgb(%d,%d,255)\" stroke=\"#ffffff\"/>%n", x, y, cell, cell, level, level));
                svg.append(text(x + cell / 2, y + cell / 2 + 4, Long.toString(counts[t][p]), "#000000", "middle"));
            }
            svg.append(text(PAD - 6, PAD + t * cell + cell / 2 + 4, escape(classes.get(t)), "#333333", "end"));
            svg.append(text(PAD + t * cell + cell / 2, SIZE - PAD + 14, escape(classes.get(t)), "#333333", "middle"));
        }
        svg.append(text(SIZE / 2.0, SIZE - 6, "predicted", "#333333", "middle"));
        svg.append(text(12, SIZE / 2.0, "true", "#333333", "middle"));
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                + " height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">"
                + "<title>%s</title>%n", SIZE, SIZE, SIZE, SIZE, escape(title)))
                .append(text(SIZE / 2.0, 16, escape(title), "#000000", "middle"));
    }

    private static void axes(StringBuilder svg, String xLabel, String yLabel) {
        svg.append(line(0, 0, 1, 0, "#333333", null)).append(line(0, 0, 0, 1, "#333333", null));
        for (int i = 0; i <= 4; i++) {
            double v = i / 4.0;
            svg.append(text(px(v), SIZE - PAD + 14, fmt(v), "#333333", "middle"));
            svg.append(text(PAD - 4, py(v) + 4, fmt(v), "#333333", "end"));
        }
        svg.append(text(SIZE / 2.0, SIZE - 8, escape(xLabel), "#333333", "middle"));
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" fill=\"#333333\""
                + " text-anchor=\"middle\">%s</text>%n", SIZE / 2, SIZE / 2, escape(yLabel)));
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, String dash) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
                px(x1), py(y1), px(x2), py(y2), colour, dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static String text(double x, double y, String content, String colour, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" text-anchor=\"%s\">%s</text>%n", x, y,
                colour, anchor, content);
    }

    private static double px(double v) {
        return PAD + v * (SIZE - 2 * PAD);
    }

    private static double py(double v) {
        return SIZE - PAD - v * (SIZE - 2 * PAD);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Text inside SVG or HTML: names come from users. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
