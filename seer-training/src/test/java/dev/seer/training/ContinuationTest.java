package dev.seer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.VersionDetails;
import dev.seer.testing.MutableClock;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.data.FrameReader;
import dev.seer.training.data.TrainingData;
import dev.seer.training.evaluation.Comparison;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.evaluation.Evaluator;
import dev.seer.training.metrics.Metric;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continued training end to end into a real tracking store, artifact store and registry (SQLite):
 * the relation between the features and the label changes between two dataset versions (x1
 * decides it in the first, x2 in the second), and the version trained on the first is boosted
 * further on the second.
 */
class ContinuationTest {
    @TempDir
    Path home;

    MetadataDatabase database;
    AuditLog audit;
    TrackingStore tracking;
    ArtifactStore artifacts;
    ModelRegistry models;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T09:00:00Z"));

    @BeforeEach
    void open() {
        database = MetadataDatabase.open(new MetadataConfig("", "", "", 4), home);
        audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
        tracking = new TrackingStore(database, audit, clock);
        artifacts = new ArtifactStore(database, home.resolve("artifacts"), audit, clock);
        models = new ModelRegistry(database, audit, clock);
    }

    @AfterEach
    void close() throws Exception {
        audit.close();
        database.close();
    }

    @Test
    void aContinuedModelKeepsItsParentsTreesAddsRoundsBeatsItOnTheNewDataAndNamesIt() throws Exception {
        DatasetSource.Snapshot before = drift("drift:1", 0, 21);
        DatasetSource.Snapshot after = drift("drift:2", 1, 22);
        Training training = new Training(TestData.source(before, after), tracking, artifacts, clock, 2);
        Training.Outcome first = training.train(TrainingSpec.parse("spec.yaml", """
                name: drift
                dataset: drift:1
                task: binary
                evaluation: {folds: 3, bootstrap: 200}
                candidates: [{algorithm: xgboost, params: {rounds: 20, max_depth: 3, eta: 0.2}}]
                """), Training.ReferenceLookup.NONE, "alice", m -> { });
        ModelVersion parent = register("drift", first);

        List<String> progress = new ArrayList<>();
        TrainingSpec refresh = TrainingSpec.parse("refresh.yaml", """
                name: drift-refresh
                dataset: drift:2
                task: binary
                continue_from: drift:1
                evaluation: {folds: 3, bootstrap: 200}
                candidates: [{algorithm: xgboost, params: {rounds: 15}}]
                """);
        Training.Outcome continued = training.train(refresh, Training.ReferenceLookup.NONE, this::parent, "alice",
                progress::add);

        // the parent's 20 trees, untouched, then 15 more
        JsonNode parentTrees = trees(modelFile(first.runId()));
        JsonNode continuedTrees = trees(modelFile(continued.runId()));
        assertThat(parentTrees).hasSize(20);
        assertThat(continuedTrees).hasSize(35);
        for (int t = 0; t < 20; t++) {
            assertThat(continuedTrees.get(t)).as("tree %d", t).isEqualTo(parentTrees.get(t));
        }
        // the parent's parameters carry over; the spec's rounds are the rounds added
        EvaluationReport report = continued.report();
        assertThat(report.candidate("xgboost").params()).containsEntry("max_depth", 3).containsEntry("eta", 0.2)
                .containsEntry("rounds", 15);
        assertThat(report.candidate("xgboost").facts()).containsEntry("rounds_trained", "15")
                .containsEntry("rounds_continued_from", "20");

        // the parent is the reference, compared as it stands, and the continued model beats it on the new rows
        assertThat(report.reference()).contains("drift:1 (continued from)");
        Comparison vsParent = report.bestAgainst("drift:1 (continued from)").orElseThrow();
        assertThat(vsParent.tests()).extracting(t -> t.test()).contains("nadeau_bengio", "delong");
        assertThat(vsParent.better()).isTrue();
        assertThat(report.gate()).isTrue();
        TrainingData newRows = FrameReader.read(after, Optional.empty(), Task.BINARY, List.of("x1", "x2", "x3"));
        assertThat(auc(modelFile(continued.runId()), newRows)).isGreaterThan(auc(modelFile(first.runId()), newRows) + 0.2);
        assertThat(progress).anyMatch(m -> m.contains("continuing drift:1 (20 rounds)"));

        // the run names its parent and the new dataset
        Run run = tracking.run(continued.runId());
        assertThat(run.provenance().orElseThrow().continuedFrom()).contains("drift:1");
        assertThat(run.provenance().orElseThrow().dataset()).contains("drift:2");
        assertThat(run.params()).containsEntry("continue_from", "drift:1").containsEntry("dataset", "drift:2");
        assertThat(refresh.model()).isEqualTo("drift");
        assertThat(tracking.run(first.runId()).provenance().orElseThrow().continuedFrom()).isEmpty();
        assertThat(parent.version()).isEqualTo(1);
    }

    @Test
    void aVersionThatCannotBeContinuedIsRefusedNamingTheField() {
        DatasetSource.Snapshot before = drift("drift:1", 0, 21);
        DatasetSource.Snapshot after = drift("drift:2", 1, 22);
        DatasetSource.Snapshot narrower = narrow("drift:3", 23);
        DatasetSource.Snapshot relabelled = relabelled("drift:4", 24);
        Training training = new Training(TestData.source(before, after, narrower, relabelled), tracking, artifacts, clock,
                2);
        String spec = "name: m\ndataset: drift:1\ntask: binary\nevaluation: {folds: 2, bootstrap: 100}\ncandidates: ";
        register("boosted", training.train(TrainingSpec.parse("s.yaml", spec + "[{algorithm: xgboost, params: {rounds: 5}}]\n"),
                Training.ReferenceLookup.NONE, "alice", m -> { }));
        register("linear", training.train(TrainingSpec.parse("s.yaml", spec + "[{algorithm: logistic}]\n"),
                Training.ReferenceLookup.NONE, "alice", m -> { }));
        register("forest", training.train(TrainingSpec.parse("s.yaml", spec + "[{algorithm: random_forest, params:"
                + " {trees: 5}}]\n"), Training.ReferenceLookup.NONE, "alice", m -> { }));

        String head = "name: r\ndataset: drift:2\ntask: binary\ncandidates: [{algorithm: xgboost}]\n";
        refused(training, head + "continue_from: linear:1\n", "continue_from", "is a [seer-linear] model");
        refused(training, head + "continue_from: forest:1\n", "continue_from", "trained as [random_forest]");
        refused(training, head + "continue_from: boosted:7\n", "continue_from", "not a registered model version");
        refused(training, head.replace("drift:2", "drift:3") + "continue_from: boosted:1\n", "continue_from",
                "lacks the numeric features [x3]");
        refused(training, head + "features: [x1, x2]\ncontinue_from: boosted:1\n", "features", "differ from those");
        refused(training, head.replace("binary", "regression") + "continue_from: boosted:1\n", "task",
                "predicts [value]; boosted:1 predicts [probability]");
        refused(training, head + "label: x3\ncontinue_from: boosted:1\n", "label", "not the one boosted:1 was trained on");
        refused(training, head.replace("drift:2", "drift:4") + "continue_from: boosted:1\n", "label",
                "has the classes [1, 2] in drift:4; boosted:1 learnt [0, 1]");
        assertThat(tracking.experimentByName("r")).as("refused before any run exists").isEmpty();
    }

    @Test
    void anObjectiveOtherThanTheTasksIsRefused() throws Exception {
        var model = dev.seer.training.algorithms.BoostedModel.read(modelBytes(), "m:1");
        assertThat(model.objective()).isEqualTo("binary:logistic");
        model.checkObjective(Task.BINARY);
        assertThatThrownBy(() -> model.checkObjective(Task.REGRESSION)).isInstanceOf(SeerException.class)
                .hasMessageContaining("objective is [binary:logistic]; task [regression] trains [reg:squarederror]")
                .extracting(e -> ((SeerException) e).details().get("field")).isEqualTo("task");
        assertThatThrownBy(() -> dev.seer.training.algorithms.BoostedModel.read("{\"not\": \"a model\"}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "m:2")).isInstanceOf(SeerException.class)
                .hasMessageContaining("m:2").extracting(e -> ((SeerException) e).details().get("field"))
                .isEqualTo("continue_from");
    }

    private byte[] modelBytes() {
        DatasetSource.Snapshot data = drift("drift:1", 0, 21);
        Training.Outcome outcome = new Training(TestData.source(data), tracking, artifacts, clock, 2).train(
                TrainingSpec.parse("s.yaml", "name: o\ndataset: drift:1\ntask: binary\nevaluation: {folds: 2, bootstrap:"
                        + " 100}\ncandidates: [{algorithm: xgboost, params: {rounds: 3}}]\n"), Training.ReferenceLookup.NONE,
                "alice", m -> { });
        return modelFile(outcome.runId());
    }

    private Continuation.Parent parent(String version) {
        return Continuation.find(models, tracking, artifacts, version);
    }

    private void refused(Training training, String spec, String field, String message) {
        assertThatThrownBy(() -> training.train(TrainingSpec.parse("s.yaml", spec), Training.ReferenceLookup.NONE,
                this::parent, "alice", m -> { })).isInstanceOf(SeerException.class).hasMessageContaining(message)
                .satisfies(e -> {
                    assertThat(((SeerException) e).errorCode()).isEqualTo(TrainingErrorCode.INVALID_SPEC);
                    assertThat(((SeerException) e).details()).containsEntry("field", field);
                });
    }

    /** Registers a run's model as the next version of {@code model}, as the wiring does. */
    private ModelVersion register(String model, Training.Outcome outcome) {
        Run run = tracking.run(outcome.runId());
        JsonNode descriptor = descriptor(run.id());
        String sha256 = artifacts.hash(run.id(), ArtifactPath.of("model/" + descriptor.get("file").asText()));
        try {
            models.model(model);
        } catch (SeerException absent) {
            assertThat(absent.errorCode()).isEqualTo(RegistryErrorCode.NOT_FOUND);
            models.createModel(model, "", Map.of(), "alice");
        }
        return models.createVersion(model, new ModelRegistry.NewVersion("runs:/" + run.id() + "/model", Optional.of(
                run.id()), "", new VersionDetails(Optional.of(sha256), Optional.of(descriptor.get("model_format").asText()),
                Optional.of(descriptor.get("signature")), run.provenance().flatMap(p -> p.dataset()), Optional.empty(),
                Map.of()), Map.of()), "alice");
    }

    private JsonNode descriptor(String runId) {
        return Json.parse(artifacts.read(artifacts.hash(runId, ArtifactPath.of("model/seer-model.json"))));
    }

    private byte[] modelFile(String runId) {
        return artifacts.read(artifacts.hash(runId, ArtifactPath.of("model/" + descriptor(runId).get("file").asText())));
    }

    private double auc(byte[] file, TrainingData data) {
        try (Model model = Models.load(ModelFormat.XGBOOST_JSON, file, Signature.parse(
                "x1:float64,x2:float64,x3:float64->probability"))) {
            return Metric.ROC_AUC.value(Evaluator.scored(data.test(), model.predict(data.test().x())));
        }
    }

    private static JsonNode trees(byte[] file) {
        return Json.parse(file).path("learner").path("gradient_booster").path("model").path("trees");
    }

    /** 1,500 rows of x1, x2, x3 (noise); the label is 1 with probability sigmoid(3 x_{decider + 1}). */
    private DatasetSource.Snapshot drift(String ref, int decider, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 1500; r++) {
            double[] x = {TestData.gaussian(random), TestData.gaussian(random), TestData.gaussian(random)};
            int y = random.nextDouble() < 1 / (1 + Math.exp(-3 * x[decider])) ? 1 : 0;
            rows.add(String.format(Locale.ROOT, "(%d, %d, %.6f, %.6f, %.6f)", r, y, x[0], x[1], x[2]));
        }
        return TestData.write(home, ref, "id, y, x1, x2, x3", rows, "y", List.of("id"));
    }

    /** Rows like {@link #drift}'s whose labels are 1 and 2: as many classes as the parent's, but other ones. */
    private DatasetSource.Snapshot relabelled(String ref, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            rows.add(String.format(Locale.ROOT, "(%d, %d, %.6f, %.6f, %.6f)", r, random.nextBoolean() ? 2 : 1,
                    TestData.gaussian(random), TestData.gaussian(random), TestData.gaussian(random)));
        }
        return TestData.write(home, ref, "id, y, x1, x2, x3", rows, "y", List.of("id"));
    }

    /** The same kind of rows without x3. */
    private DatasetSource.Snapshot narrow(String ref, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            double x1 = TestData.gaussian(random);
            rows.add(String.format(Locale.ROOT, "(%d, %d, %.6f, %.6f)", r, random.nextBoolean() ? 1 : 0, x1,
                    TestData.gaussian(random)));
        }
        return TestData.write(home, ref, "id, y, x1, x2", rows, "y", List.of("id"));
    }
}
