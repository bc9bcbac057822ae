package dev.seer.monitoring.report;

import static java.util.Objects.requireNonNull;

import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.performance.Estimate;
import dev.seer.monitoring.performance.Metric;
import dev.seer.monitoring.performance.Realised;
import dev.seer.monitoring.report.MonitorReport.Feature;
import dev.seer.monitoring.report.MonitorReport.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * The terminal form of a {@link MonitorReport}: a header, a plain ASCII table of the features (test,
 * statistic, threshold, p-value and adjusted p-value, decision), the dataset verdict, the prediction
 * drift and a table per performance metric. Names are printed with control and bidirectional
 * characters made visible ({@code \\u001B}), so a hostile name cannot drive the terminal, and cut
 * at 60 characters to keep the table readable (the HTML form shows them whole).
 */
public final class ReportText {
    static final int NAME_WIDTH = 60;

    private ReportText() {
    }

    public static String render(MonitorReport report) {
        requireNonNull(report, "report is null");
        StringBuilder out = new StringBuilder();
        out.append("Monitoring report: ").append(name(report.deployment())).append('\n');
        out.append("Range:     ").append(Format.time(report.from())).append(" to ").append(Format.time(report.to()))
                .append('\n');
        if (!report.reference().isEmpty()) {
            out.append("Reference: ").append(Format.terminal(report.reference())).append('\n');
        }
        report.generatedAt().ifPresent(t -> out.append("Generated: ").append(Format.time(t)).append('\n'));
        out.append('\n');
        if (report.status() == MonitorReport.Status.NO_DATA) {
            out.append("NO DATA in this range: no current rows between ").append(Format.time(report.from()))
                    .append(" and ").append(Format.time(report.to())).append("; nothing to compare.\n");
            return out.toString();
        }
        features(report, out);
        verdict(report, out);
        report.prediction().ifPresent(p -> {
            out.append("Prediction drift:\n");
            Table t = driftTable();
            t.row(driftRow(p));
            out.append(t.render()).append('\n');
        });
        performance(report, out);
        return out.toString();
    }

    private static void features(MonitorReport report, StringBuilder out) {
        if (report.features().isEmpty()) {
            return;
        }
        out.append("Features:\n");
        Table t = driftTable();
        for (Feature f : report.features()) {
            t.row(driftRow(f));
        }
        out.append(t.render()).append('\n');
    }

    private static Table driftTable() {
        return new Table(List.of("feature", "test", "statistic", "threshold", "p-value", "adj. p", "drifted",
                "ref n", "cur n"), "LLRRRRLRR");
    }

    private static List<String> driftRow(Feature f) {
        ColumnDrift d = f.drift();
        if (d == null) {
            return List.of(name(f.name()), "-", "-", "-", "-", "-", f.hasData() ? "not tested" : "no data", "-",
                    Long.toString(f.currentRows()));
        }
        if (d.status() == ColumnDrift.Status.NO_DATA) {
            return List.of(name(f.name()), d.test().displayName(), "-", Format.num(d.threshold()), "-", "-",
                    "no data", Long.toString(d.referenceSize()), Long.toString(d.currentSize()));
        }
        boolean p = d.test().isPValue();
        return List.of(name(f.name()), d.test().displayName(), Format.num(d.statistic()), Format.num(d.threshold()),
                p ? Format.p(d.pValue()) : "-", p ? Format.p(d.adjustedPValue()) : "-", d.drifted() ? "YES" : "no",
                Long.toString(d.referenceSize()), Long.toString(d.currentSize()));
    }

    private static void verdict(MonitorReport report, StringBuilder out) {
        if (report.drift().isEmpty()) {
            return;
        }
        DatasetDrift d = report.drift().get();
        out.append("Dataset drift: ").append(d.drifted() ? "DRIFT" : "no drift").append(" (")
                .append(d.driftedColumns()).append(" of ").append(d.testedColumns()).append(" tested features drifted, ")
                .append(Format.percent(d.share())).append("; threshold ").append(Format.percent(d.driftShare()))
                .append(")\n");
        out.append("P-values ").append(d.falseDiscoveryControl()
                ? "adjusted for testing many features at once (Benjamini-Hochberg)" : "not adjusted").append(".\n\n");
    }

    private static void performance(MonitorReport report, StringBuilder out) {
        if (report.windows().isEmpty()) {
            return;
        }
        out.append("Performance (estimated before labels, with its band; realised, with its 95% interval):\n");
        for (Metric metric : report.metrics()) {
            out.append(metric.name()).append(":\n");
            Table t = new Table(List.of("window", "rows", "estimated", "band", "alert", "realised", "95% interval",
                    "labelled"), "LRRRLRRR");
            for (Window w : report.windows()) {
                t.row(windowRow(w, metric));
            }
            out.append(t.render()).append('\n');
        }
    }

    private static List<String> windowRow(Window w, Metric metric) {
        List<String> row = new ArrayList<>();
        row.add(Format.time(w.from()) + " - " + Format.time(w.to()));
        row.add(Long.toString(w.rows()));
        Estimate e = w.estimated();
        if (e == null || !e.hasData()) {
            row.addAll(List.of(e == null ? "-" : "no data", "-", "-"));
        } else {
            Estimate.Value v = e.get(metric);
            row.addAll(List.of(Format.num(v.value()), range(v.lower(), v.upper()), v.alert() ? "ALERT" : "no"));
        }
        Realised r = w.realised();
        if (r == null || !r.hasData()) {
            row.addAll(List.of(r == null ? "-" : "no data", "-", r == null ? "-" : "0"));
        } else {
            Realised.Value v = r.get(metric);
            row.addAll(List.of(Format.num(v.value()), range(v.lower(), v.upper()), Integer.toString(r.rows())));
        }
        return row;
    }

    private static String range(double lower, double upper) {
        if (Double.isNaN(lower) && Double.isNaN(upper)) {
            return "-";
        }
        return "[" + Format.num(lower) + ", " + Format.num(upper) + "]";
    }

    private static String name(String name) {
        return Format.truncate(Format.terminal(name), NAME_WIDTH);
    }

    /** An aligned table: columns two spaces apart, a dashed rule under the header. */
    static final class Table {
        private final List<String> header;
        private final String align;
        private final List<List<String>> rows = new ArrayList<>();

        Table(List<String> header, String align) {
            this.header = header;
            this.align = align;
        }

        void row(List<String> cells) {
            rows.add(cells);
        }

        String render() {
            int[] widths = new int[header.size()];
            List<List<String>> all = new ArrayList<>();
            all.add(header);
            all.addAll(rows);
            for (List<String> r : all) {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], Format.width(r.get(i)));
                }
            }
            StringBuilder out = new StringBuilder();
            line(out, header, widths);
            List<String> rule = new ArrayList<>();
            for (int w : widths) {
                rule.add("-".repeat(w));
            }
            line(out, rule, widths);
            for (List<String> r : rows) {
                line(out, r, widths);
            }
            return out.toString();
        }

        private void line(StringBuilder out, List<String> cells, int[] widths) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                String c = cells.get(i);
                String pad = " ".repeat(widths[i] - Format.width(c));
                if (i > 0) {
                    l.append("  ");
                }
                l.append(align.charAt(i) == 'R' ? pad + c : c + pad);
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
    }
}
