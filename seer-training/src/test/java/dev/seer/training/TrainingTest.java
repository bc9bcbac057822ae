package dev.seer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Json;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.search.RunSearch;
import dev.seer.registry.search.ViewType;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.testing.MutableClock;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.evaluation.Comparison;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.metrics.Metric;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec trained end to end into a real tracking store (SQLite) and artifact store. */
class TrainingTest {
    @TempDir
    Path home;

    MetadataDatabase database;
    AuditLog audit;
    TrackingStore tracking;
    ArtifactStore artifacts;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T09:00:00Z"));

    @BeforeEach
    void open() {
        database = MetadataDatabase.open(new MetadataConfig("", "", "", 4), home);
        audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
        tracking = new TrackingStore(database, audit, clock);
        artifacts = new ArtifactStore(database, home.resolve("artifacts"), audit, clock);
    }

    @AfterEach
    void close() throws Exception {
        audit.close();
        database.close();
    }

    @Test
    void trainsEvaluatesAndRecordsARunWithItsModelReportAndProvenance() {
        DatasetSource.Snapshot data = TestData.binary(home, "churn:1", 1500, 4, 2.0, 11);
        TrainingSpec spec = TrainingSpec.parse("spec.yaml", """
                name: churn
                dataset: churn:latest
                task: binary
                evaluation: {folds: 3, metric: roc_auc, bootstrap: 200}
                candidates:
                  - algorithm: xgboost
                    params: {rounds: 30, max_depth: 3}
                  - algorithm: logistic
                seed: 3
                """);
        List<String> progress = new ArrayList<>();
        Training.Outcome outcome = new Training(TestData.source(data), tracking, artifacts, clock, 2).train(spec,
                Training.ReferenceLookup.NONE, "alice", progress::add);

        EvaluationReport report = outcome.report();
        assertThat(report.candidates()).extracting(c -> c.name()).containsExactly("xgboost", "logistic", "baseline");
        assertThat(report.best()).isIn("xgboost", "logistic");
        assertThat(report.candidate("baseline").cvMean()).isEqualTo(0.5); // a constant score ranks nothing
        assertThat(report.candidate(report.best()).cvMean()).isGreaterThan(0.75);
        Comparison vsBaseline = report.bestAgainst("baseline").orElseThrow();
        assertThat(vsBaseline.tests()).extracting(t -> t.test())
                .containsExactly("nadeau_bengio", "mcnemar", "delong", "paired_bootstrap");
        assertThat(vsBaseline.primary()).isEqualTo("delong");
        assertThat(vsBaseline.better()).isTrue();
        assertThat(report.gate()).isTrue();
        assertThat(progress).anyMatch(m -> m.contains("cross-validating xgboost"));

        Run run = tracking.run(outcome.runId());
        assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.params()).containsEntry("dataset", "churn:1").containsEntry("metric", "roc_auc")
                .containsEntry("best", report.best()).containsKey("algorithm");
        assertThat(run.metrics()).extracting(m -> m.key()).contains("cv_roc_auc", "test_roc_auc", "test_roc_auc_low",
                "test_roc_auc_high", "test_log_loss", "test_brier");
        assertThat(tracking.metricHistory(run.id(), "fold_roc_auc")).hasSize(3);
        var provenance = run.provenance().orElseThrow();
        assertThat(provenance.dataset()).contains("churn:1");
        assertThat(provenance.datasetHash()).contains("sha-of-churn:1");
        assertThat(provenance.specHash()).contains(spec.sha256());
        assertThat(provenance.seed()).hasValue(3);
        assertThat(provenance.libraries()).containsKey("xgboost4j");

        EvaluationReport stored = EvaluationReport.CODEC.decode(Json.parse(artifacts.read(artifacts.hash(run.id(),
                ArtifactPath.of("evaluation.json")))));
        assertThat(EvaluationReport.CODEC.encode(stored)).isEqualTo(EvaluationReport.CODEC.encode(report));
        var descriptor = Json.parse(artifacts.read(artifacts.hash(run.id(), ArtifactPath.of("model/seer-model.json"))));
        Signature signature = Signature.CODEC.decode(descriptor.get("signature"));
        assertThat(signature.names()).containsExactly("x1", "x2", "x3", "x4");
        byte[] modelBytes = artifacts.read(artifacts.hash(run.id(), ArtifactPath.of("model/"
                + descriptor.get("file").asText())));
        try (Model model = Models.load(ModelFormat.parse(descriptor.get("model_format").asText()), modelBytes, signature)) {
            double[][] p = model.predict(new double[][] {{3, 3, 0, 0}, {-3, -3, 0, 0}});
            assertThat(p[0][0]).isGreaterThan(0.8); // the label rises with x1 + x2
            assertThat(p[1][0]).isLessThan(0.2);
        }
        List<Run> children = tracking.search(RunSearch.of(List.of(Long.parseLong(run.experimentId())),
                "tags.`seer.kind` = 'candidate'", List.of(), ViewType.ACTIVE_ONLY, "", 100)).runs();
        assertThat(children).hasSize(3).allMatch(c -> c.parentId().equals(Optional.of(run.id())));

        // the global explanations, on the held-out rows: the signal's features lead, by SHAP and by permutation
        var explained = Json.parse(artifacts.read(artifacts.hash(run.id(), ArtifactPath.of("explanations.json"))));
        assertThat(explained.path("features")).hasSize(4);
        var shap = explained.path("mean_abs_shap").path("1");
        for (String signal : List.of("x1", "x2")) {
            for (String noise : List.of("x3", "x4")) {
                assertThat(shap.path(signal).asDouble()).isGreaterThan(shap.path(noise).asDouble());
            }
        }
        var permutation = explained.path("permutation");
        assertThat(permutation.path("metric").asText()).isEqualTo("roc_auc");
        assertThat(permutation.path("features").get(0).path("name").asText()).isEqualTo("x1");
        assertThat(permutation.path("features").get(0).path("low").asDouble()).isPositive();
        assertThat(explained.path("partial_dependence")).hasSize(3);
        assertThat(explained.path("partial_dependence").get(0).path("feature").asText()).isIn("x1", "x2");
        // dependence data: x1's contribution rises with x1, as the label's logit does
        var dependence = explained.path("dependence");
        assertThat(dependence).hasSize(4);
        var x1 = java.util.stream.StreamSupport.stream(dependence.spliterator(), false)
                .filter(d -> d.path("feature").asText().equals("x1")).findFirst().orElseThrow();
        assertThat(x1.path("values").size()).isEqualTo(x1.path("contributions").size()).isPositive();
        double low = 0;
        double high = 0;
        for (int r = 0; r < x1.path("values").size(); r++) {
            double v = x1.path("values").get(r).asDouble();
            double c = x1.path("contributions").get(r).asDouble();
            low += v < -0.5 ? c : 0;
            high += v > 0.5 ? c : 0;
        }
        assertThat(high).isGreaterThan(low);
        assertThat(explained.path("reference").size()).isBetween(1, 500);
        assertThat(explained.path("reference").get(0)).hasSize(4);
    }

    @Test
    void regressionAndMulticlassRunThroughTheSameStrategy() {
        List<String> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 600; i++) {
            double a = random.nextDouble() * 4 - 2;
            double b = random.nextDouble() * 4 - 2;
            double y = 3 * a - 2 * b + random.nextGaussian() * 0.5;
            String tier = a + b > 1 ? "gold" : a + b > -1 ? "silver" : "bronze";
            rows.add("(" + i + ", " + a + ", " + b + ", " + y + ", '" + tier + "')");
        }
        DatasetSource source = TestData.source(TestData.write(home, "r:1", "id, a, b, y, tier", rows, "y", List.of("id")));
        Training training = new Training(source, tracking, artifacts, clock, 2);
        EvaluationReport regression = training.train(TrainingSpec.parse("r.yaml", "name: r\ndataset: r:1\ntask: regression\n"
                + "features: [a, b]\nevaluation: {folds: 3, bootstrap: 100}\ncandidates: [{algorithm: linear},"
                + " {algorithm: xgboost, params: {rounds: 30}}]\n"), Training.ReferenceLookup.NONE, "alice", m -> { }).report();
        assertThat(regression.metric()).isEqualTo(Metric.RMSE);
        assertThat(regression.best()).isEqualTo("linear"); // the truth is linear
        assertThat(regression.candidate("linear").test().get("r2").value()).isGreaterThan(0.95);
        assertThat(regression.bestAgainst("baseline").orElseThrow().tests()).extracting(t -> t.test())
                .containsExactly("nadeau_bengio", "paired_bootstrap");
        assertThat(regression.gate()).isTrue();

        EvaluationReport multiclass = training.train(TrainingSpec.parse("m.yaml", "name: m\ndataset: r:1\nlabel: tier\n"
                + "task: multiclass\nfeatures: [a, b]\nevaluation: {folds: 3, metric: accuracy, bootstrap: 100}\n"
                + "candidates: [{algorithm: xgboost, params: {rounds: 30}}, {algorithm: random_forest, params: {trees: 20}}]\n"),
                Training.ReferenceLookup.NONE, "alice", m -> { }).report();
        assertThat(multiclass.candidate(multiclass.best()).test().get("accuracy").value()).isGreaterThan(0.8);
        assertThat(multiclass.candidate("baseline").test()).containsKeys("roc_auc", "log_loss", "f1");
        assertThat(multiclass.gate()).isTrue();
    }

    @Test
    void aLabelOfNoiseDoesNotPassTheGate() {
        DatasetSource.Snapshot data = TestData.binary(home, "noise:1", 800, 3, 0.0, 5);
        TrainingSpec spec = TrainingSpec.parse("spec.yaml", """
                name: noise
                dataset: noise:1
                task: binary
                evaluation: {folds: 3, bootstrap: 200}
                candidates: [{algorithm: logistic}]
                """);
        Training.Outcome outcome = new Training(TestData.source(data), tracking, artifacts, clock, 2).train(spec,
                Training.ReferenceLookup.NONE, "alice", m -> { });
        assertThat(outcome.report().gate()).isFalse();
        assertThat(outcome.report().bestAgainst("baseline").orElseThrow().better()).isFalse();
    }

    @Test
    void aFailingTrainingMarksItsRunFailedAndBadDataCreatesNoRun() {
        DatasetSource.Snapshot data = TestData.binary(home, "d:1", 300, 2, 1.0, 5);
        Training training = new Training(TestData.source(data), tracking, artifacts, clock, 2);
        TrainingSpec wrongLabel = TrainingSpec.parse("s.yaml", "name: t\ndataset: d:1\nlabel: nope\ntask: binary\n"
                + "candidates: [{algorithm: logistic}]\n");
        assertThatThrownBy(() -> training.train(wrongLabel, Training.ReferenceLookup.NONE, "alice", m -> { }))
                .hasMessageContaining("has no column [nope]");
        assertThat(tracking.experimentByName("t")).isEmpty();
        TrainingSpec tooManyFolds = TrainingSpec.parse("s.yaml", "name: t\ndataset: d:1\ntask: binary\n"
                + "evaluation: {folds: 1000}\ncandidates: [{algorithm: logistic}]\n");
        assertThatThrownBy(() -> training.train(tooManyFolds, Training.ReferenceLookup.NONE, "alice", m -> { }));
        Run failed = tracking.search(RunSearch.of(List.of(Long.parseLong(tracking.experimentByName("t").orElseThrow()
                .id())), "", List.of(), ViewType.ACTIVE_ONLY, "", 100)).runs().get(0);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void aSpecTunedByTheGpSamplerRecordsItsTrials() {
        DatasetSource.Snapshot data = TestData.binary(home, "gp:1", 600, 3, 2.0, 7);
        TrainingSpec spec = TrainingSpec.parse("spec.yaml", """
                name: gp
                dataset: gp:1
                task: binary
                evaluation: {folds: 3, bootstrap: 100}
                candidates:
                  - algorithm: logistic
                    search: {c: {log: [0.001, 10]}}
                tuning: {strategy: gp, trials: 13, seed: 5}
                """);
        Training.Outcome outcome = new Training(TestData.source(data), tracking, artifacts, clock, 2).train(spec,
                Training.ReferenceLookup.NONE, "alice", m -> { });
        Run run = tracking.run(outcome.runId());
        List<Run> trials = tracking.search(RunSearch.of(List.of(Long.parseLong(run.experimentId())),
                "tags.`seer.kind` = 'trial'", List.of(), ViewType.ACTIVE_ONLY, "", 100)).runs();
        // 10 random start-up trials, then three proposed by the GP, all inside the range
        assertThat(trials).hasSize(13).allSatisfy(t -> assertThat(Double.parseDouble(t.params().get("c"))).isBetween(0.001, 10.0));
        assertThat(outcome.report().best()).isEqualTo("logistic");
    }
}
