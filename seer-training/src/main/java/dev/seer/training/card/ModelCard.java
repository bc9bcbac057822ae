package dev.seer.training.card;

import static java.util.Objects.requireNonNull;

import dev.seer.registry.tracking.RunProvenance;
import dev.seer.training.Task;
import dev.seer.training.evaluation.CandidateResult;
import dev.seer.training.evaluation.Comparison;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.metrics.CalibrationCurve;
import dev.seer.training.metrics.ConfusionMatrix;
import dev.seer.training.metrics.Interval;
import dev.seer.training.metrics.Scored;
import dev.seer.training.stats.TestResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A model card (after Mitchell et al. 2019, "Model Cards for Model Reporting"): what the model is
 * for, the data it was trained on with its lineage, its metrics with intervals on held-out rows,
 * the comparison report of the promotion gate, and charts (ROC and precision-recall curves,
 * calibration, confusion matrix), as Markdown with SVG files beside it and as one self-contained
 * HTML page with the SVG inline. Everything comes from what was recorded; nothing is recomputed
 * but the curves, from the stored held-out predictions.
 */
public final class ModelCard {
    private ModelCard() {}

    /**
     * What a card says.
     *
     * @param lineage the dataset version's lineage, one line per step (feature service, views, batches)
     * @param test the best model's held-out predictions, for the charts
     * @param gate the promotion gate's check, in words, if one was recorded
     */
    public record Facts(String model, int version, String description, Instant created, String createdBy,
            List<String> aliases, String runId, Optional<RunProvenance> provenance, List<String> lineage,
            List<String> features, List<String> classes, String label, EvaluationReport report, Scored test,
            Optional<String> gate, Optional<Importance> importance) {
        public Facts {
            requireNonNull(model, "model is null");
            requireNonNull(report, "report is null");
            requireNonNull(test, "test is null");
            aliases = List.copyOf(aliases);
            lineage = List.copyOf(lineage);
            features = List.copyOf(features);
            classes = List.copyOf(classes);
        }
    }

    /**
     * The version's global explanations: per feature, the mean |SHAP| on held-out rows and the
     * permutation importance by the evaluation metric with its interval.
     */
    public record Importance(String method, String scale, int rows, String metric, double confidence,
            List<Feature> features) {
        public Importance {
            features = List.copyOf(features);
        }

        /** One feature's figures. */
        public record Feature(String name, double meanAbsShap, double permutation, double low, double high) {}
    }

    /** A card: its Markdown (naming the SVG files by name), its HTML page, and the SVG files. */
    public record Card(String markdown, String html, Map<String, String> charts) {}

    public static Card of(Facts facts) {
        Map<String, String> charts = charts(facts);
        String prefix = facts.model() + "-" + facts.version() + ".";
        StringBuilder md = new StringBuilder();
        for (Section section : sections(facts)) {
            md.append("## ").append(section.title()).append("\n\n");
            section.paragraphs().forEach(p -> md.append(p).append("\n\n"));
            section.table().ifPresent(t -> md.append(markdownTable(t)).append('\n'));
        }
        md.insert(0, "# Model card: " + facts.model() + " version " + facts.version() + "\n\n");
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            charts.keySet().forEach(name -> md.append("![").append(name).append("](").append(prefix).append(name)
                    .append(".svg)\n"));
        }
        Map<String, String> files = new LinkedHashMap<>();
        charts.forEach((name, svg) -> files.put(prefix + name + ".svg", svg));
        return new Card(md.toString(), html(facts, charts), files);
    }

    private record Section(String title, List<String> paragraphs, Optional<List<List<String>>> table) {}

    private static List<Section> sections(Facts f) {
        EvaluationReport r = f.report();
        CandidateResult best = r.candidate(r.best());
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("Intended use", List.of(
                (f.description().isBlank() ? "" : f.description().strip() + (f.description().strip().endsWith(".") ? " "
                        : ". ")) + "A " + task(f) + " of [" + f.label() + "]"
                        + (f.classes().isEmpty() ? "" : " (classes " + f.classes() + ")") + " from " + f.features().size()
                        + " features: " + String.join(", ", f.features()) + ".",
                "Registered " + f.created() + " by " + f.createdBy() + (f.aliases().isEmpty() ? "" : "; aliases "
                        + f.aliases()) + ". Trained by run " + f.runId() + " as " + best.algorithm().id() + " with "
                        + best.params() + f.provenance().flatMap(RunProvenance::continuedFrom).map(parent -> ", continued"
                        + " from model " + parent + " (its trees kept, more rounds boosted on the training data below)")
                        .orElse("") + "."), Optional.empty()));
        List<String> data = new ArrayList<>();
        f.provenance().ifPresent(p -> data.add("Dataset version " + p.dataset().orElse("?") + " (SHA-256 "
                + p.datasetHash().orElse("?") + "); training spec SHA-256 " + p.specHash().orElse("?") + ", seed "
                + (p.seed().isPresent() ? p.seed().getAsLong() : "-") + "; Seer " + p.seerVersion() + ", libraries "
                + p.libraries() + ", Java " + p.javaVersion() + "."));
        data.add(String.format(Locale.ROOT, "%,d development rows (train and validation, %d-fold cross-validation) and"
                + " %,d held-out test rows.", r.developmentRows(), r.folds(), r.testRows()));
        f.lineage().forEach(line -> data.add("- " + line));
        sections.add(new Section("Training data", data, Optional.empty()));
        List<List<String>> metrics = new ArrayList<>();
        metrics.add(List.of("metric", r.best() + " (95% CI)", "baseline (95% CI)"));
        CandidateResult baseline = r.candidate("baseline");
        best.test().forEach((metric, interval) -> metrics.add(List.of(metric, interval(interval),
                interval(baseline.test().get(metric)))));
        sections.add(new Section("Metrics on the held-out test rows", List.of(String.format(Locale.ROOT,
                "Cross-validated %s: %.4f (folds %s).", r.metric().id(), best.cvMean(), folds(best.foldScores()))),
                Optional.of(metrics)));
        List<List<String>> tests = new ArrayList<>();
        tests.add(List.of("against", "test", "statistic", "p", "effect (95% CI)", "decision"));
        for (Comparison c : r.comparisons()) {
            if (!c.candidate().equals(r.best())) {
                continue;
            }
            for (TestResult t : c.tests()) {
                tests.add(List.of(c.against(), t.test() + (t.test().equals(c.primary()) ? " (primary)" : ""),
                        num(t.statistic()), num(t.pValue()), String.format(Locale.ROOT, "%+.4f [%.4f, %.4f]", t.effect(),
                                t.low(), t.high()), t.test().equals(c.primary()) ? (c.better() ? "better" : "not shown better")
                                + ", Holm-adjusted p " + num(c.adjustedP()) : ""));
            }
        }
        List<String> comparison = new ArrayList<>();
        comparison.add("Every candidate was compared on the same folds and held-out rows; the primary test's p-values"
                + " are corrected across candidates by Holm's method, at alpha " + r.alpha() + ".");
        f.gate().ifPresent(g -> comparison.add("Promotion gate: " + g));
        r.notes().forEach(n -> comparison.add("Note: " + n));
        sections.add(new Section("Comparison report", comparison, Optional.of(tests)));
        f.importance().ifPresent(i -> sections.add(importance(i)));
        return sections;
    }

    private static Section importance(Importance i) {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("feature", "mean |SHAP| (" + i.scale() + ")", "permutation importance, " + i.metric() + " ("
                + Math.round(i.confidence() * 100) + "% CI)"));
        i.features().stream().sorted(java.util.Comparator.comparingDouble(Importance.Feature::meanAbsShap).reversed())
                .forEach(f -> table.add(List.of(f.name(), num(f.meanAbsShap()), String.format(Locale.ROOT,
                        "%+.4f [%.4f, %.4f]", f.permutation(), f.low(), f.high()))));
        return new Section("Global explanations", List.of(String.format(Locale.ROOT, "On %,d held-out rows: the mean"
                + " absolute SHAP value of each feature (%s), and how much %s worsens when the feature's values are"
                + " shuffled (an interval above 0: the model relies on it).", i.rows(), i.method(), i.metric())),
                Optional.of(table));
    }

    private static Map<String, String> charts(Facts f) {
        Map<String, String> charts = new LinkedHashMap<>();
        Scored test = f.test();
        if (test.task() == Task.BINARY) {
            double[][] roc = Curves.roc(test.truth(), test.score());
            double[][] pr = Curves.precisionRecall(test.truth(), test.score());
            charts.put("roc", Svg.lines("ROC curve", "false positive rate", "true positive rate",
                    List.of(new Svg.Series(f.report().best(), roc[0], roc[1], "#1f77b4")), true));
            charts.put("pr", Svg.lines("Precision-recall curve", "recall", "precision",
                    List.of(new Svg.Series(f.report().best(), pr[0], pr[1], "#d62728")), false));
            CalibrationCurve calibration = CalibrationCurve.of(test);
            charts.put("calibration", Svg.lines("Calibration", "mean predicted probability", "fraction positive",
                    List.of(new Svg.Series("by decile of probability", calibration.meanPredicted(),
                            calibration.fractionPositive(), "#2ca02c")), true));
        }
        if (test.task() != Task.REGRESSION) {
            ConfusionMatrix matrix = ConfusionMatrix.of(test);
            List<String> names = f.classes().size() == matrix.classes().size() ? f.classes() : matrix.classes();
            charts.put("confusion", Svg.matrix("Confusion matrix (held-out rows)", names, matrix.counts()));
        }
        return charts;
    }

    private static String html(Facts f, Map<String, String> charts) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Model card: " + Svg.escape(f.model() + " " + f.version()) + "</title><style>"
                + "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
                + "figure{display:inline-block;margin:.5em}</style></head><body>\n<h1>Model card: "
                + Svg.escape(f.model()) + " version " + f.version() + "</h1>\n");
        for (Section section : sections(f)) {
            html.append("<h2>").append(Svg.escape(section.title())).append("</h2>\n");
            List<String> items = new ArrayList<>();
            for (String p : section.paragraphs()) {
                if (p.startsWith("- ")) {
                    items.add(p.substring(2));
                } else {
                    html.append("<p>").append(Svg.escape(p)).append("</p>\n");
                }
            }
            if (!items.isEmpty()) {
                html.append("<ul>");
                items.forEach(i -> html.append("<li>").append(Svg.escape(i)).append("</li>"));
                html.append("</ul>\n");
            }
            section.table().ifPresent(t -> html.append(htmlTable(t)));
        }
        if (!charts.isEmpty()) {
            html.append("<h2>Charts</h2>\n");
            charts.values().forEach(svg -> html.append("<figure>").append(svg).append("</figure>\n"));
        }
        return html.append("</body></html>\n").toString();
    }

    private static String markdownTable(List<List<String>> rows) {
        StringBuilder md = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            md.append("| ").append(String.join(" | ", rows.get(i).stream().map(c -> c.replace("|", "\\|")).toList()))
                    .append(" |\n");
            if (i == 0) {
                md.append("|").append(" --- |".repeat(rows.get(0).size())).append('\n');
            }
        }
        return md.toString();
    }

    private static String htmlTable(List<List<String>> rows) {
        StringBuilder html = new StringBuilder("<table>");
        for (int i = 0; i < rows.size(); i++) {
            html.append("<tr>");
            String cell = i == 0 ? "th" : "td";
            rows.get(i).forEach(c -> html.append('<').append(cell).append('>').append(Svg.escape(c)).append("</")
                    .append(cell).append('>'));
            html.append("</tr>");
        }
        return html.append("</table>\n").toString();
    }

    private static String task(Facts f) {
        return switch (f.report().candidates().isEmpty() ? Task.BINARY : f.test().task()) {
            case BINARY -> "binary classifier (probability of the positive class)";
            case MULTICLASS -> "multiclass classifier (probability of each class)";
            case REGRESSION -> "regression";
        };
    }

    private static String interval(Interval i) {
        return i == null ? "-" : String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", i.value(), i.low(), i.high());
    }

    private static String folds(double[] scores) {
        return Arrays.stream(scores).mapToObj(s -> String.format(Locale.ROOT, "%.4f", s)).toList().toString();
    }

    /** A statistic or p-value; a p-value below the smallest double is shown as such, not as 0. */
    private static String num(double v) {
        if (v == 0) {
            return "< 1e-300";
        }
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
