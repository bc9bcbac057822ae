package dev.seer.training.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seer.registry.tracking.RunProvenance;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.evaluation.CandidateResult;
import dev.seer.training.evaluation.Comparison;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.metrics.Interval;
import dev.seer.training.metrics.Metric;
import dev.seer.training.metrics.Scored;
import dev.seer.training.stats.TestResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class ModelCardTest {
    @Test
    void theRocCurvesAreaIsTheRocAucAndThePrCurveEndsAtFullRecall() {
        SplittableRandom random = new SplittableRandom(3);
        double[] truth = new double[500];
        double[] score = new double[500];
        int positives = 0;
        for (int i = 0; i < truth.length; i++) {
            truth[i] = random.nextDouble() < 0.4 ? 1 : 0;
            positives += (int) truth[i];
            score[i] = Math.round((truth[i] * 0.3 + 0.7 * random.nextDouble()) * 20) / 20.0; // in [0, 1], many ties
        }
        double[][] roc = Curves.roc(truth, score);
        double area = 0;
        for (int i = 1; i < roc[0].length; i++) {
            area += (roc[0][i] - roc[0][i - 1]) * (roc[1][i] + roc[1][i - 1]) / 2;
        }
        assertThat(area).isCloseTo(Metric.ROC_AUC.value(Scored.binary(truth, score)), within(1e-12));
        assertThat(roc[0][0]).isZero();
        assertThat(roc[1][roc[1].length - 1]).isEqualTo(1.0);
        double[][] pr = Curves.precisionRecall(truth, score);
        assertThat(pr[0][pr[0].length - 1]).isEqualTo(1.0);
        assertThat(pr[1][pr[1].length - 1]).isCloseTo(positives / 500.0, within(1e-12)); // all predicted positive
    }

    @Test
    void aCardHasItsSectionsChartsAsValidSvgAndEscapesWhatUsersNamed() throws Exception {
        double[] truth = {0, 1, 0, 1, 1, 0, 1, 0};
        double[] score = {0.1, 0.9, 0.4, 0.7, 0.6, 0.3, 0.2, 0.8};
        Interval auc = new Interval(0.75, 0.5, 1.0, 200, 0.95);
        CandidateResult best = new CandidateResult("xgboost", Algorithm.XGBOOST, Map.of("max_depth", 3),
                new double[] {0.7, 0.8}, 0.75, Map.of("roc_auc", auc), Map.of(), 1.5, 3.0);
        CandidateResult baseline = new CandidateResult("baseline", Algorithm.BASELINE, Map.of(), new double[] {0.5, 0.5},
                0.5, Map.of("roc_auc", new Interval(0.5, 0.5, 0.5, 200, 0.95)), Map.of(), 0.01, 0.1);
        EvaluationReport report = new EvaluationReport(Metric.ROC_AUC, 0.05, 2, 16, 8, List.of(best, baseline), "xgboost",
                List.of(new Comparison("xgboost", "baseline", List.of(new TestResult("delong", 2.1, 0.0, 0.25, 0.01,
                        0.49)), "delong", 0.0, true)), Optional.empty(), true, List.of());
        ModelCard.Card card = ModelCard.of(new ModelCard.Facts("churn", 3, "Scores <script>alert(1)</script> churn",
                Instant.parse("2026-12-04T00:00:00Z"), "alice", List.of("champion"), "run1", Optional.empty(),
                List.of("dataset d:1"), List.of("a&b", "x"), List.of("stay", "leave"), "churned", report,
                Scored.binary(truth, score), Optional.of("passed"), Optional.of(new ModelCard.Importance(
                        "tree-shap (path-dependent)", "margin", 8, "roc_auc", 0.95, List.of(
                        new ModelCard.Importance.Feature("a&b", 0.1, 0.01, -0.002, 0.02),
                        new ModelCard.Importance.Feature("x", 0.4, 0.12, 0.08, 0.16))))));
        assertThat(card.markdown()).contains("# Model card: churn version 3", "## Intended use", "## Training data",
                "## Metrics on the held-out test rows", "## Comparison report", "| roc_auc | 0.7500 [0.5000, 1.0000] |",
                "delong (primary)", "< 1e-300", "![roc](churn-3.roc.svg)", "Promotion gate: passed", "## Global explanations",
                "| x | 0.4000 | +0.1200 [0.0800, 0.1600] |");
        assertThat(card.markdown().indexOf("| x | 0.4")).isLessThan(card.markdown().indexOf("| a&b | 0.1"));
        assertThat(card.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "a&amp;b").doesNotContain("<script");
        assertThat(card.charts().keySet()).containsExactly("churn-3.roc.svg", "churn-3.pr.svg", "churn-3.calibration.svg",
                "churn-3.confusion.svg");
        for (String svg : card.charts().values()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(
                    StandardCharsets.UTF_8))); // well-formed XML
        }
        assertThat(card.charts().get("churn-3.confusion.svg")).contains(">stay<", ">leave<");
        assertThat(card.markdown()).doesNotContain("continued from");

        // a version trained further from another (continue_from): its card names the parent, from the run's provenance
        RunProvenance provenance = new RunProvenance(Optional.of("churn:2"), Optional.of("abc"), Optional.of("def"),
                OptionalLong.of(7), "1.0", Map.of("xgboost", "2.1"), "17", "linux").continuing("churn:2");
        ModelCard.Card continued = ModelCard.of(new ModelCard.Facts("churn", 4, "", Instant.parse("2026-12-04T00:00:00Z"),
                "alice", List.of(), "run2", Optional.of(provenance), List.of(), List.of("a&b", "x"), List.of("stay", "leave"),
                "churned", report, Scored.binary(truth, score), Optional.empty(), Optional.empty()));
        assertThat(continued.markdown()).contains("Trained by run run2 as xgboost with {max_depth=3}, continued from model"
                + " churn:2 (its trees kept");
        assertThat(continued.html()).contains("continued from model churn:2");
    }
}
