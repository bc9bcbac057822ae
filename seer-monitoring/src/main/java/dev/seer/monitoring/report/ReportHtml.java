package dev.seer.monitoring.report;

import static dev.seer.monitoring.report.Markup.escape;
import static java.util.Objects.requireNonNull;

import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.performance.Estimate;
import dev.seer.monitoring.performance.Metric;
import dev.seer.monitoring.performance.Realised;
import dev.seer.monitoring.report.MonitorReport.Feature;
import dev.seer.monitoring.report.MonitorReport.Histogram;
import dev.seer.monitoring.report.MonitorReport.TopItems;
import dev.seer.monitoring.report.MonitorReport.Window;
import java.util.List;
import java.util.Locale;

/**
 * The HTML form of a {@link MonitorReport}: one self-contained HTML5 file with inline CSS and inline
 * SVG charts ({@link Svg}) that needs no JavaScript and refers to nothing outside itself (no script,
 * stylesheet, font or image by link; no {@code href} or {@code src} at all), so it can be mailed,
 * archived and opened offline, and a hostile name in the data cannot make it load anything.
 *
 * <p>Every text from the report (deployment, reference, feature and category names) goes through
 * {@link Markup#escape}; the markup is written to be both HTML5 and well-formed XML (void elements
 * self-closed, no named entities beyond XML's), which lets a test parse the whole file. Anchors are
 * numbered ({@code feature-3}), never built from names. The same report always renders the same
 * bytes.
 */
public final class ReportHtml {
    private static final String CSS = """
            body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
            table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ddd;padding:.25em .5em}
            th{background:#f3f3f3;text-align:left}td.n{text-align:right;font-family:monospace}
            .drift{color:#b22222;font-weight:bold}.ok{color:#2e7d32}.muted{color:#777}
            .no-data{background:#fff8e1;border:1px solid #f0c36d;padding:1em}
            .verdict{font-size:1.1em}figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}
            figcaption{font-size:.9em;margin-bottom:.3em;word-break:break-all}
            svg text{font-size:11px;font-family:sans-serif}
            .key-ref{color:#4e79a7;font-weight:bold}.key-cur{color:#f28e2b;font-weight:bold}
            dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dd{margin:0}
            """;

    private ReportHtml() {
    }

    public static String render(MonitorReport report) {
        requireNonNull(report, "report is null");
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>Monitoring report: ").append(escape(report.deployment())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(report, out);
        if (report.status() == MonitorReport.Status.NO_DATA) {
            out.append("<section id=\"no-data\" class=\"no-data\">\n<h2>No data in this range</h2>\n<p>No current rows")
                    .append(" were seen for <strong>").append(escape(report.deployment())).append("</strong> between ")
                    .append(escape(Format.time(report.from()))).append(" and ").append(escape(Format.time(report.to())))
                    .append(", so there is nothing to compare with the reference.</p>\n</section>\n");
        } else {
            verdict(report, out);
            features(report, out);
            prediction(report, out);
            distributions(report, out);
            performance(report, out);
        }
        out.append("<footer class=\"muted\"><p>Seer monitoring report. Charts: <span class=\"key-ref\">reference")
                .append("</span> and <span class=\"key-cur\">current</span>.</p></footer>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void header(MonitorReport report, StringBuilder out) {
        out.append("<header>\n<h1>Monitoring report: <span class=\"name\">").append(escape(report.deployment()))
                .append("</span></h1>\n<dl class=\"meta\">\n<dt>Range</dt><dd>").append(escape(Format.time(report.from())))
                .append(" to ").append(escape(Format.time(report.to()))).append("</dd>\n");
        if (!report.reference().isEmpty()) {
            out.append("<dt>Reference</dt><dd>").append(escape(report.reference())).append("</dd>\n");
        }
        report.generatedAt().ifPresent(t -> out.append("<dt>Generated</dt><dd>").append(escape(Format.time(t)))
                .append("</dd>\n"));
        out.append("<dt>Status</dt><dd>").append(report.status() == MonitorReport.Status.OK ? "data" : "no data")
                .append("</dd>\n</dl>\n</header>\n");
    }

    private static void verdict(MonitorReport report, StringBuilder out) {
        if (report.drift().isEmpty()) {
            return;
        }
        DatasetDrift d = report.drift().get();
        out.append("<section id=\"dataset-drift\">\n<h2>Dataset drift</h2>\n<p class=\"verdict ")
                .append(d.drifted() ? "drift\">Drift detected" : "ok\">No dataset drift").append(": ")
                .append(d.driftedColumns()).append(" of ").append(d.testedColumns()).append(" tested features drifted (")
                .append(escape(Format.percent(d.share()))).append("; the dataset drifts at ")
                .append(escape(Format.percent(d.driftShare()))).append(").</p>\n<p class=\"muted\">P-values ")
                .append(d.falseDiscoveryControl()
                        ? "are adjusted for testing many features at once (Benjamini-Hochberg)."
                        : "are not adjusted for testing many features at once.")
                .append("</p>\n");
        out.append(Svg.driftScores(report.features()));
        out.append("</section>\n");
    }

    private static void features(MonitorReport report, StringBuilder out) {
        if (report.features().isEmpty()) {
            return;
        }
        out.append("<section id=\"features\">\n<h2>Features</h2>\n");
        driftTable(report.features(), out);
        out.append("</section>\n");
    }

    private static void driftTable(List<Feature> features, StringBuilder out) {
        out.append("<table>\n<thead><tr><th>Feature</th><th>Test</th><th>Statistic</th><th>Threshold</th>")
                .append("<th>p-value</th><th>Adjusted p</th><th>Drifted</th><th>Reference rows</th>")
                .append("<th>Current rows</th></tr></thead>\n<tbody>\n");
        for (Feature f : features) {
            ColumnDrift d = f.drift();
            out.append("<tr><td>").append(escape(f.name())).append("</td>");
            if (d == null) {
                out.append("<td colspan=\"6\" class=\"muted\">").append(f.hasData() ? "not tested" : "no data")
                        .append("</td><td class=\"n\">-</td><td class=\"n\">").append(f.currentRows()).append("</td></tr>\n");
                continue;
            }
            boolean noData = d.status() == ColumnDrift.Status.NO_DATA;
            boolean p = d.test().isPValue() && !noData;
            out.append("<td>").append(escape(d.test().displayName())).append("</td>");
            cell(out, noData ? "-" : Format.num(d.statistic()));
            cell(out, Format.num(d.threshold()));
            cell(out, p ? Format.p(d.pValue()) : "-");
            cell(out, p ? Format.p(d.adjustedPValue()) : "-");
            out.append(noData ? "<td class=\"muted\">no data</td>"
                    : d.drifted() ? "<td class=\"drift\">yes</td>" : "<td class=\"ok\">no</td>");
            cell(out, Long.toString(d.referenceSize()));
            cell(out, Long.toString(d.currentSize()));
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void cell(StringBuilder out, String text) {
        out.append("<td class=\"n\">").append(escape(text)).append("</td>");
    }

    private static void prediction(MonitorReport report, StringBuilder out) {
        report.prediction().ifPresent(p -> {
            out.append("<section id=\"prediction\">\n<h2>Prediction drift</h2>\n");
            driftTable(List.of(p), out);
            if (p.distribution() != null) {
                figure("prediction-distribution", p, out);
            }
            out.append("</section>\n");
        });
    }

    private static void distributions(MonitorReport report, StringBuilder out) {
        boolean any = report.features().stream().anyMatch(f -> f.distribution() != null);
        if (!any) {
            return;
        }
        out.append("<section id=\"distributions\">\n<h2>Distributions</h2>\n");
        List<Feature> features = report.features();
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).distribution() != null) {
                figure("feature-" + (i + 1), features.get(i), out);
            }
        }
        out.append("</section>\n");
    }

    private static void figure(String id, Feature f, StringBuilder out) {
        out.append("<figure id=\"").append(id).append("\">\n<figcaption><strong>").append(escape(f.name()))
                .append("</strong>");
        if (f.drift() != null && f.drift().status() == ColumnDrift.Status.OK) {
            out.append(f.drift().drifted() ? " <span class=\"drift\">drifted</span>" : " <span class=\"ok\">no drift</span>");
        }
        out.append("<br/><span class=\"muted\">");
        if (f.distribution() instanceof Histogram h) {
            out.append("reference ").append(h.referenceCount()).append(" values, mean ")
                    .append(escape(Format.axis(h.referenceMean()))).append(", ").append(h.referenceMissing())
                    .append(" missing; current ").append(h.currentCount()).append(" values, mean ")
                    .append(escape(Format.axis(h.currentMean()))).append(", ").append(h.currentMissing())
                    .append(" missing</span></figcaption>\n").append(Svg.histogram(f.name(), h));
        } else if (f.distribution() instanceof TopItems t) {
            out.append("reference ").append(t.referenceCount()).append(" values, ").append(t.referenceMissing())
                    .append(" missing; current ").append(t.currentCount()).append(" values, ")
                    .append(t.currentMissing()).append(" missing</span></figcaption>\n")
                    .append(Svg.topItems(f.name(), t));
        }
        out.append("</figure>\n");
    }

    private static void performance(MonitorReport report, StringBuilder out) {
        if (report.windows().isEmpty()) {
            return;
        }
        out.append("<section id=\"performance\">\n<h2>Performance</h2>\n<p class=\"muted\">Estimated before labels")
                .append(" (CBPE; line and band of 3 standard errors, dashed: alert thresholds) and realised once ")
                .append("labels came (dots with 95% intervals). Windows are numbered as in the table.</p>\n");
        for (Metric metric : report.metrics()) {
            out.append("<figure id=\"metric-").append(metric.name().toLowerCase(Locale.ROOT))
                    .append("\">\n<figcaption><strong>").append(metric.name()).append("</strong></figcaption>\n")
                    .append(Svg.performance(metric, report.windows())).append("</figure>\n");
        }
        out.append("<table>\n<thead><tr><th>#</th><th>Window</th><th>Rows</th><th>Metric</th><th>Estimated</th>")
                .append("<th>Band</th><th>Alert</th><th>Realised</th><th>95% interval</th></tr></thead>\n<tbody>\n");
        List<Window> windows = report.windows();
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            for (Metric metric : report.metrics()) {
                out.append("<tr><td class=\"n\">").append(i + 1).append("</td><td>")
                        .append(escape(Format.time(w.from()) + " - " + Format.time(w.to()))).append("</td>");
                cell(out, Long.toString(w.rows()));
                out.append("<td>").append(metric.name()).append("</td>");
                Estimate e = w.estimated();
                if (e == null || !e.hasData()) {
                    out.append("<td colspan=\"3\" class=\"muted\">").append(e == null ? "not estimated" : "no data")
                            .append("</td>");
                } else {
                    Estimate.Value v = e.get(metric);
                    cell(out, Format.num(v.value()));
                    cell(out, "[" + Format.num(v.lower()) + ", " + Format.num(v.upper()) + "]");
                    out.append(v.alert() ? "<td class=\"drift\">alert</td>" : "<td class=\"ok\">no</td>");
                }
                Realised r = w.realised();
                if (r == null || !r.hasData()) {
                    out.append("<td colspan=\"2\" class=\"muted\">").append(r == null ? "no labels" : "no data")
                            .append("</td>");
                } else {
                    Realised.Value v = r.get(metric);
                    cell(out, Format.num(v.value()));
                    cell(out, "[" + Format.num(v.lower()) + ", " + Format.num(v.upper()) + "]");
                }
                out.append("</tr>\n");
            }
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }
}
