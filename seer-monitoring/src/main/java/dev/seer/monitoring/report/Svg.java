package dev.seer.monitoring.report;

import static dev.seer.monitoring.report.Format.coord;
import static dev.seer.monitoring.report.Markup.escape;

import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.performance.Estimate;
import dev.seer.monitoring.performance.Metric;
import dev.seer.monitoring.performance.Realised;
import dev.seer.monitoring.report.MonitorReport.Bin;
import dev.seer.monitoring.report.MonitorReport.Feature;
import dev.seer.monitoring.report.MonitorReport.Histogram;
import dev.seer.monitoring.report.MonitorReport.Item;
import dev.seer.monitoring.report.MonitorReport.TopItems;
import dev.seer.monitoring.report.MonitorReport.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's charts as inline SVG, written by hand: fixed sizes, coordinates with one decimal
 * (Locale.ROOT), every text escaped by {@link Markup#escape} both as element content and in
 * attributes. No script, no link, no external reference: an SVG viewer or browser needs nothing but
 * the file.
 *
 * <p>The drift chart puts every test on one scale, "evidence relative to the threshold", so one
 * vertical line is every feature's threshold and a longer bar always means more drift: a distance
 * d with threshold t plots d / t; a p-value p with level a plots log10(p) / log10(a) (so p = a sits
 * on the line and p = a^2 at twice its distance). Bars are capped at twice the threshold; the
 * exact figure is printed beside each bar.
 */
final class Svg {
    static final String REFERENCE = "#4e79a7";
    static final String CURRENT = "#f28e2b";
    static final String DRIFT = "#e15759";
    static final String OK = "#59a14f";
    static final String MUTED = "#777777";
    private static final double CAP = 2.0;

    private final StringBuilder out = new StringBuilder();

    private Svg(double width, double height, String label) {
        out.append("<svg class=\"chart\" width=\"").append(coord(width)).append("\" height=\"").append(coord(height))
                .append("\" viewBox=\"0 0 ").append(coord(width)).append(' ').append(coord(height))
                .append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\">\n");
        out.append("<title>").append(escape(label)).append("</title>\n");
    }

    private String end() {
        return out.append("</svg>\n").toString();
    }

    private void rect(double x, double y, double w, double h, String fill, double opacity, String title) {
        out.append("<rect x=\"").append(coord(x)).append("\" y=\"").append(coord(y)).append("\" width=\"")
                .append(coord(Math.max(0, w))).append("\" height=\"").append(coord(Math.max(0, h)))
                .append("\" fill=\"").append(fill).append("\" fill-opacity=\"").append(Format.fixed(opacity, 2))
                .append('"');
        closeWithTitle("rect", title);
    }

    private void line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
        out.append("<line x1=\"").append(coord(x1)).append("\" y1=\"").append(coord(y1)).append("\" x2=\"")
                .append(coord(x2)).append("\" y2=\"").append(coord(y2)).append("\" stroke=\"").append(stroke)
                .append('"').append(dashed ? " stroke-dasharray=\"4 3\"" : "").append("/>\n");
    }

    private void text(double x, double y, String anchor, String text, String title) {
        out.append("<text x=\"").append(coord(x)).append("\" y=\"").append(coord(y)).append("\" text-anchor=\"")
                .append(anchor).append("\">");
        if (title != null) {
            out.append("<title>").append(escape(title)).append("</title>");
        }
        out.append(escape(text)).append("</text>\n");
    }

    private void closeWithTitle(String element, String title) {
        if (title == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(escape(title)).append("</title></").append(element).append(">\n");
        }
    }

    /** One bar per tested feature: its score against its threshold, on the evidence scale. */
    static String driftScores(List<Feature> features) {
        List<Feature> shown = new ArrayList<>();
        for (Feature f : features) {
            if (f.drift() != null) {
                shown.add(f);
            }
        }
        double rowHeight = 22;
        double labelWidth = 230;
        double barWidth = 360;
        double height = 30 + rowHeight * shown.size();
        Svg svg = new Svg(labelWidth + barWidth + 200, height, "Drift score per feature against its threshold");
        double thresholdX = labelWidth + barWidth / CAP;
        for (int i = 0; i < shown.size(); i++) {
            Feature f = shown.get(i);
            ColumnDrift d = f.drift();
            double y = 10 + i * rowHeight;
            svg.text(labelWidth - 8, y + 14, "end", Format.truncate(f.name(), 32), f.name());
            if (d.status() == ColumnDrift.Status.NO_DATA) {
                svg.text(labelWidth + 4, y + 14, "start", "no data", null);
                continue;
            }
            double ratio = Math.min(CAP, evidence(d));
            String score = d.test().isPValue()
                    ? "p = " + Format.p(d.adjustedPValue()) + " (level " + Format.num(d.threshold()) + ")"
                    : Format.num(d.statistic()) + " (threshold " + Format.num(d.threshold()) + ")";
            svg.rect(labelWidth, y + 3, barWidth * ratio / CAP, rowHeight - 8, d.drifted() ? DRIFT : OK, 0.85,
                    f.name() + ": " + d.test().displayName() + " " + score + (d.drifted() ? ", drifted" : ", no drift"));
            svg.text(labelWidth + barWidth + 8, y + 14, "start", score, null);
        }
        svg.line(thresholdX, 4, thresholdX, height - 14, "#222222", true);
        svg.text(thresholdX, height - 2, "middle", "threshold", null);
        return svg.end();
    }

    /** Score over threshold on the evidence scale (see the class comment); 0 when undefined. */
    static double evidence(ColumnDrift d) {
        if (d.test().isPValue()) {
            double level = -Math.log10(d.threshold());
            double p = d.adjustedPValue();
            if (Double.isNaN(p)) {
                return 0;
            }
            if (!(level > 0)) {
                return d.drifted() ? CAP : 0;
            }
            return p <= 0 ? CAP : -Math.log10(p) / level;
        }
        double s = d.statistic();
        return Double.isNaN(s) ? 0 : s / d.threshold();
    }

    /** Reference and current shares over the shared bins, overlaid. */
    static String histogram(String feature, Histogram h) {
        double left = 50;
        double top = 10;
        double w = 320;
        double ht = 120;
        Svg svg = new Svg(left + w + 20, top + ht + 36, "Distribution of " + feature + ": reference and current");
        double max = 0;
        for (Bin b : h.bins()) {
            max = Math.max(max, Math.max(zero(b.referenceShare()), zero(b.currentShare())));
        }
        if (h.bins().isEmpty() || max == 0) {
            svg.text(left + w / 2, top + ht / 2, "middle", "no data", null);
            return svg.end();
        }
        double lo = h.bins().get(0).lower();
        double hi = h.bins().get(h.bins().size() - 1).upper();
        double span = hi > lo ? hi - lo : 1;
        double binWidth = w / h.bins().size();
        for (int i = 0; i < h.bins().size(); i++) {
            Bin b = h.bins().get(i);
            double x = hi > lo ? left + (b.lower() - lo) / span * w : left;
            double bw = hi > lo ? (b.upper() - b.lower()) / span * w : binWidth;
            String range = "[" + Format.axis(b.lower()) + ", " + Format.axis(b.upper()) + "]";
            bar(svg, x, bw, top, ht, b.referenceShare() / max, REFERENCE, "reference " + range + ": "
                    + Format.percent(b.referenceShare()));
            bar(svg, x, bw, top, ht, b.currentShare() / max, CURRENT, "current " + range + ": "
                    + Format.percent(b.currentShare()));
        }
        svg.line(left, top + ht, left + w, top + ht, "#222222", false);
        svg.text(left, top + ht + 14, "start", Format.axis(lo), null);
        svg.text(left + w, top + ht + 14, "end", Format.axis(hi), null);
        svg.text(left - 4, top + 8, "end", Format.percent(max), null);
        svg.text(left - 4, top + ht, "end", "0%", null);
        if (h.currentCount() == 0) {
            svg.text(left + w / 2, top + ht + 30, "middle", "no current data", null);
        }
        return svg.end();
    }

    private static void bar(Svg svg, double x, double w, double top, double height, double scaled, String fill,
            String title) {
        if (!Double.isNaN(scaled)) {
            svg.rect(x, top + height * (1 - scaled), w, height * scaled, fill, 0.55, title);
        }
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** One row per value: the reference share above the current share. */
    static String topItems(String feature, TopItems t) {
        double label = 150;
        double w = 260;
        double row = 20;
        List<Item> rows = new ArrayList<>(t.items());
        rows.add(new Item("(other values)", t.referenceOther(), t.currentOther()));
        Svg svg = new Svg(label + w + 120, 10 + row * rows.size(), "Most frequent values of " + feature
                + ": reference and current");
        double max = 0;
        for (Item i : rows) {
            max = Math.max(max, Math.max(zero(i.referenceShare()), zero(i.currentShare())));
        }
        if (max == 0) {
            svg.text(label + w / 2, 20, "middle", "no data", null);
            return svg.end();
        }
        for (int k = 0; k < rows.size(); k++) {
            Item i = rows.get(k);
            double y = 5 + k * row;
            svg.text(label - 6, y + 13, "end", Format.truncate(i.value(), 20), i.value());
            if (!Double.isNaN(i.referenceShare())) {
                svg.rect(label, y + 2, w * i.referenceShare() / max, 7, REFERENCE, 0.85,
                        "reference: " + Format.percent(i.referenceShare()));
            }
            if (!Double.isNaN(i.currentShare())) {
                svg.rect(label, y + 10, w * i.currentShare() / max, 7, CURRENT, 0.85,
                        "current: " + Format.percent(i.currentShare()));
            }
            svg.text(label + w + 6, y + 13, "start", Format.percent(i.referenceShare()) + " / "
                    + Format.percent(i.currentShare()), null);
        }
        return svg.end();
    }

    /**
     * One metric over the windows: the estimate as a line inside its band (± 3 standard errors),
     * the realised value as a dot with its 95% interval, the estimate's alert thresholds dashed.
     * Windows without data leave a gap.
     */
    static String performance(Metric metric, List<Window> windows) {
        double left = 50;
        double top = 10;
        double w = 640;
        double h = 170;
        Svg svg = new Svg(left + w + 20, top + h + 30, "Estimated and realised " + metric.name() + " per window");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double[] thresholds = null;
        for (Window win : windows) {
            Estimate.Value e = estimate(win, metric);
            Realised.Value r = realised(win, metric);
            for (double v : new double[] {e == null ? Double.NaN : e.lower(), e == null ? Double.NaN : e.upper(),
                e == null ? Double.NaN : e.value(), r == null ? Double.NaN : r.value(),
                r == null ? Double.NaN : r.lower(), r == null ? Double.NaN : r.upper()}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (thresholds == null && win.estimated() != null) {
                Estimate.Value any = win.estimated().get(metric);
                if (any != null && Double.isFinite(any.lowerThreshold()) && Double.isFinite(any.upperThreshold())) {
                    thresholds = new double[] {any.lowerThreshold(), any.upperThreshold()};
                    lo = Math.min(lo, thresholds[0]);
                    hi = Math.max(hi, thresholds[1]);
                }
            }
        }
        if (lo > hi) {
            svg.text(left + w / 2, top + h / 2, "middle", "no data", null);
            return svg.end();
        }
        double pad = hi > lo ? 0.08 * (hi - lo) : 0.05;
        double ymin = Math.max(0, lo - pad);
        double ymax = Math.min(1, hi + pad);
        if (!(ymax > ymin)) {
            ymin = Math.max(0, ymin - 0.05);
            ymax = Math.min(1, ymax + 0.05);
        }
        Scale y = new Scale(ymin, ymax, top + h, top);
        int n = windows.size();
        double step = w / n;
        svg.line(left, top + h, left + w, top + h, "#222222", false);
        svg.line(left, top, left, top + h, "#222222", false);
        svg.text(left - 4, top + 4, "end", Format.fixed(ymax, 3), null);
        svg.text(left - 4, top + h, "end", Format.fixed(ymin, 3), null);
        if (thresholds != null) {
            svg.line(left, y.at(thresholds[0]), left + w, y.at(thresholds[0]), DRIFT, true);
            svg.line(left, y.at(thresholds[1]), left + w, y.at(thresholds[1]), DRIFT, true);
        }
        band(svg, metric, windows, left, step, y);
        for (int i = 0; i < n; i++) {
            Window win = windows.get(i);
            double x = left + (i + 0.5) * step;
            svg.text(x, top + h + 14, "middle", Integer.toString(i + 1), Format.time(win.from()) + " - "
                    + Format.time(win.to()));
            Realised.Value r = realised(win, metric);
            if (r != null && Double.isFinite(r.value())) {
                if (Double.isFinite(r.lower()) && Double.isFinite(r.upper())) {
                    svg.line(x, y.at(r.lower()), x, y.at(r.upper()), CURRENT, false);
                }
                svg.out.append("<circle cx=\"").append(coord(x)).append("\" cy=\"").append(coord(y.at(r.value())))
                        .append("\" r=\"3.5\" fill=\"").append(CURRENT).append('"');
                svg.closeWithTitle("circle", "window " + (i + 1) + " realised " + Format.num(r.value()) + " "
                        + "[" + Format.num(r.lower()) + ", " + Format.num(r.upper()) + "]");
            }
        }
        return svg.end();
    }

    /** The band as one polygon and the estimate as one polyline per run of windows with an estimate. */
    private static void band(Svg svg, Metric metric, List<Window> windows, double left, double step, Scale y) {
        int i = 0;
        while (i < windows.size()) {
            if (estimate(windows.get(i), metric) == null) {
                i++;
                continue;
            }
            int j = i;
            while (j < windows.size() && estimate(windows.get(j), metric) != null) {
                j++;
            }
            StringBuilder upper = new StringBuilder();
            StringBuilder lower = new StringBuilder();
            StringBuilder mid = new StringBuilder();
            for (int k = i; k < j; k++) {
                Estimate.Value e = estimate(windows.get(k), metric);
                String x = coord(left + (k + 0.5) * step);
                upper.append(x).append(',').append(coord(y.at(e.upper()))).append(' ');
                lower.insert(0, x + "," + coord(y.at(e.lower())) + " ");
                mid.append(x).append(',').append(coord(y.at(e.value()))).append(' ');
            }
            if (j - i == 1) {
                // a lone window has no width to fill: its band is a short bar
                Estimate.Value e = estimate(windows.get(i), metric);
                svg.rect(left + (i + 0.5) * step - 6, y.at(e.upper()), 12, y.at(e.lower()) - y.at(e.upper()),
                        REFERENCE, 0.2, null);
            } else {
                svg.out.append("<polygon points=\"").append((upper.toString() + lower).trim()).append("\" fill=\"")
                        .append(REFERENCE).append("\" fill-opacity=\"0.20\"/>\n");
            }
            svg.out.append("<polyline points=\"").append(mid.toString().trim()).append("\" fill=\"none\" stroke=\"")
                    .append(REFERENCE).append("\" stroke-width=\"2\"/>\n");
            for (int k = i; k < j; k++) {
                Estimate.Value e = estimate(windows.get(k), metric);
                svg.out.append("<circle cx=\"").append(coord(left + (k + 0.5) * step)).append("\" cy=\"")
                        .append(coord(y.at(e.value()))).append("\" r=\"3\" fill=\"")
                        .append(e.alert() ? DRIFT : REFERENCE).append('"');
                svg.closeWithTitle("circle", "window " + (k + 1) + " estimated " + Format.num(e.value()) + " ["
                        + Format.num(e.lower()) + ", " + Format.num(e.upper()) + "]" + (e.alert() ? ", alert" : ""));
            }
            i = j;
        }
    }

    /** The estimate of a window with data and a finite value and band, else null. */
    private static Estimate.Value estimate(Window w, Metric metric) {
        if (w.estimated() == null || !w.estimated().hasData()) {
            return null;
        }
        Estimate.Value e = w.estimated().get(metric);
        return e != null && Double.isFinite(e.value()) && Double.isFinite(e.lower()) && Double.isFinite(e.upper())
                ? e : null;
    }

    private static Realised.Value realised(Window w, Metric metric) {
        return w.realised() == null || !w.realised().hasData() ? null : w.realised().get(metric);
    }

    /** A linear map from [from, to] onto pixels [a, b]. */
    private record Scale(double from, double to, double a, double b) {
        double at(double v) {
            return a + (v - from) / (to - from) * (b - a);
        }
    }
}
