package dev.seer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.metrics.Metric;
import dev.seer.training.tuning.FloatParam;
import dev.seer.training.tuning.IntParam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SpecReaderTest {
    static final String ISSUE_SPEC = """
            name: churn
            dataset: churn_training:latest     # a dataset version; its splits are used as recorded
            label: churned
            task: binary                       # binary, multiclass or regression
            evaluation: {folds: 5, metric: roc_auc, alpha: 0.05}
            candidates:
              - algorithm: xgboost
                search: {max_depth: {int: [3, 10]}, eta: {log: [0.01, 0.3]}, rounds: {int: [50, 500]}}
              - algorithm: random_forest
              - algorithm: logistic
            tuning: {strategy: tpe, trials: 50, timeout: 10m, early_stopping: asha, seed: 7}
            """;

    @Test
    void readsTheIssuesSpecAsWritten() {
        TrainingSpec spec = TrainingSpec.parse("churn.yaml", ISSUE_SPEC);
        assertThat(spec.name()).isEqualTo("churn");
        assertThat(spec.model()).isEqualTo("churn");
        assertThat(spec.dataset()).isEqualTo("churn_training:latest");
        assertThat(spec.label()).contains("churned");
        assertThat(spec.task()).isEqualTo(Task.BINARY);
        assertThat(spec.evaluation().folds()).isEqualTo(5);
        assertThat(spec.evaluation().metric()).isEqualTo(Metric.ROC_AUC);
        assertThat(spec.evaluation().alpha()).isEqualTo(0.05);
        assertThat(spec.candidates()).extracting(TrainingSpec.Candidate::algorithm)
                .containsExactly(Algorithm.XGBOOST, Algorithm.RANDOM_FOREST, Algorithm.LOGISTIC);
        TrainingSpec.Candidate xgboost = spec.candidates().get(0);
        assertThat(xgboost.tuned()).isTrue();
        assertThat(xgboost.search().orElseThrow().params()).containsExactly(new IntParam("max_depth", 3, 10, false),
                new FloatParam("eta", 0.01, 0.3, true), new IntParam("rounds", 50, 500, false));
        assertThat(spec.candidates().get(1).tuned()).isFalse();
        TrainingSpec.Tuning tuning = spec.tuning().orElseThrow();
        assertThat(tuning.strategy()).isEqualTo(TrainingSpec.Strategy.TPE);
        assertThat(tuning.trials()).isEqualTo(50);
        assertThat(tuning.timeout()).contains(Duration.ofMinutes(10));
        assertThat(tuning.asha()).isTrue();
        assertThat(tuning.seed()).isEqualTo(7);
        assertThat(spec.sha256()).hasSize(64).isNotEqualTo(TrainingSpec.parse("x", ISSUE_SPEC + "\n").sha256());
    }

    @Test
    void readsEachTuningStrategy() {
        for (TrainingSpec.Strategy strategy : TrainingSpec.Strategy.values()) {
            String spec = ISSUE_SPEC.replace("strategy: tpe", "strategy: " + strategy.name().toLowerCase(Locale.ROOT));
            assertThat(TrainingSpec.parse("s.yaml", spec).tuning().orElseThrow().strategy()).isEqualTo(strategy);
        }
    }

    @Test
    void fixedParametersAreManualModeAndDefaultsFillTheRest() {
        TrainingSpec spec = TrainingSpec.parse("s.yaml", """
                name: m
                dataset: d:2
                task: regression
                candidates: [{algorithm: xgboost, params: {max_depth: 4, eta: 0.1}}, {algorithm: linear}]
                """);
        assertThat(spec.tuning()).isEmpty();
        assertThat(spec.evaluation().metric()).isEqualTo(Metric.forTask(Task.REGRESSION).get(0));
        assertThat(spec.evaluation().reference()).isEqualTo("champion");
        assertThat(Algorithm.XGBOOST.resolve(spec.candidates().get(0).params())).containsEntry("max_depth", 4)
                .containsEntry("eta", 0.1).containsEntry("rounds", 100);
    }

    @Test
    void readsAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, ISSUE_SPEC);
        assertThat(TrainingSpec.read(file).text()).isEqualTo(ISSUE_SPEC);
        assertThatThrownBy(() -> TrainingSpec.read(dir.resolve("absent.yaml"))).isInstanceOf(SeerException.class)
                .hasMessageContaining("Cannot read training spec").hasMessageContaining("absent.yaml");
    }

    @Test
    void badSpecsAreRefusedNamingTheLineAndKey() {
        refused("name: x\ndataset: d\ntask: binary\ncandidates: [{algorithm: xgboost}]\nfolds: 3\n", "s.yaml:5 [folds]",
                "unknown key");
        refused("name: x\ndataset: d\ntask: binary\ncandidates: [{algorithm: xgbost}]\n", "candidates[0].algorithm",
                "Algorithm [xgbost] is not one of");
        refused("name: x\ndataset: d\ntask: binary\ncandidates: [{algorithm: xgboost, params: {depth: 3}}]\n",
                "candidates[0].params.depth", "has no parameter [depth]");
        refused("name: x\ndataset: d\ntask: binary\ncandidates: [{algorithm: xgboost, params: {max_depth: 3.5}}]\n",
                "max_depth", "whole number");
        refused("name: x\ndataset: d\ntask: binary\ncandidates:\n  - algorithm: xgboost\n    search: {max_depth: {int: [10, 3]}}\n",
                "s.yaml:6 [candidates[0].search.max_depth]", "max_depth");
        refused("name: x\ndataset: d\ntask: binary\ncandidates:\n  - algorithm: xgboost\n    search: {eta: {log: [0, 0.3]}}\n",
                "candidates[0].search.eta", "eta");
        refused("name: x\ndataset: d\ntask: binary\ncandidates:\n  - algorithm: xgboost\n    search: {max_depth: {float: [1, 3]}}\n",
                "max_depth", "whole number");
        refused("name: x\ndataset: d\ntask: binary\ncandidates:\n  - algorithm: xgboost\n    search: {eta: {between: [0.1, 0.3]}}\n",
                "candidates[0].search.eta.between", "unknown key");
        refused("name: x\ndataset: d\ntask: binary\ncandidates:\n  - algorithm: xgboost\n    params: {eta: 0.1}\n"
                + "    search: {eta: {log: [0.01, 0.3]}}\n", "candidates[0].search.eta", "both fixed");
        refused("name: x\ndataset: d\ntask: regression\ncandidates: [{algorithm: logistic}]\n", "candidates[0].algorithm",
                "does not fit task [regression]");
        refused("name: x\ndataset: d\ntask: regression\nevaluation: {metric: roc_auc}\ncandidates: [{algorithm: linear}]\n",
                "evaluation.metric", "does not apply to task [regression]");
        refused("name: x\ndataset: d\ntask: binary\nevaluation: {alpha: 1.5}\ncandidates: [{algorithm: logistic}]\n",
                "evaluation.alpha", "between 0 and 1");
        refused("name: x\ndataset: d\ntask: binary\nevaluation: {folds: 1}\ncandidates: [{algorithm: logistic}]\n",
                "evaluation.folds", "at least 2");
        refused("name: x\ndataset: d\ntask: ordinal\ncandidates: [{algorithm: logistic}]\n", "task", "[ordinal]");
        refused("name: x\ndataset: d\ntask: binary\ncandidates: []\n", "candidates", "at least one candidate");
        refused("name: x\ntask: binary\ncandidates: [{algorithm: logistic}]\n", "s.yaml", "needs the key [dataset]");
        refused("name: x\ndataset: d\ntask: binary\ncandidates: [{algorithm: logistic}]\ntuning: {early_stopping: hyperband}\n",
                "tuning.early_stopping", "asha");
        refused("name: x\ndataset: d\ntask: binary\ncandidates: [{algorithm: logistic}]\ntuning: {strategy: bayes}\n",
                "tuning.strategy", "[tpe], [random] or [gp], not [bayes]");
        refused("name: x\n  dataset: [\n", "s.yaml", "not valid YAML");
        refused("", "s.yaml", "empty");
    }

    @Test
    void aContinuedSpecNamesTheVersionAndRegistersToItsModel() {
        TrainingSpec spec = TrainingSpec.parse("s.yaml", "name: refresh\ndataset: churn:4\ntask: binary\n"
                + "continue_from: churn:3\ncandidates: [{algorithm: xgboost, params: {rounds: 20}}]\n");
        assertThat(spec.continueFrom()).contains("churn:3");
        assertThat(spec.model()).isEqualTo("churn"); // the continued version's model, not the spec's name
        assertThat(TrainingSpec.parse("s.yaml", "name: churn\ndataset: d\ntask: binary\ncandidates: [{algorithm: xgboost}]\n")
                .continueFrom()).isEmpty();
        assertThat(TrainingSpec.parse("s.yaml", "name: r\ndataset: d\ntask: binary\ncontinue_from: my:model:2\n"
                + "candidates: [{algorithm: xgboost}]\n").model()).isEqualTo("my:model");
    }

    @Test
    void aContinuedSpecThatCannotBeIsRefusedNamingTheKey() {
        String head = "name: x\ndataset: d:2\ntask: binary\n";
        refused(head + "continue_from: churn\ncandidates: [{algorithm: xgboost}]\n", "[continue_from]", "MODEL:VERSION");
        refused(head + "continue_from: churn:0\ncandidates: [{algorithm: xgboost}]\n", "[continue_from]", "[churn:0]");
        refused(head + "continue_from: churn:latest\ncandidates: [{algorithm: xgboost}]\n", "[continue_from]",
                "MODEL:VERSION");
        refused(head + "continue_from: churn:3\ncandidates: [{algorithm: logistic}]\n", "[candidates]",
                "exactly one candidate, algorithm [xgboost]");
        refused(head + "continue_from: churn:3\ncandidates: [{algorithm: xgboost}, {algorithm: xgboost}]\n",
                "[candidates]", "exactly one candidate");
        refused(head + "continue_from: churn:3\ncandidates: [{algorithm: random_forest}]\n", "[candidates]",
                "exactly one candidate");
        refused(head + "continue_from: churn:3\ncandidates: [{algorithm: xgboost, search: {eta: {log: [0.01, 0.3]}}}]\n",
                "[candidates]", "not tuned");
        refused(head + "continue_from: churn:3\ncandidates: [{algorithm: xgboost}]\ntuning: {trials: 5}\n", "[tuning]",
                "not tuned");
        refused(head + "continue_from: churn:3\nmodel: other\ncandidates: [{algorithm: xgboost}]\n", "[model]",
                "new version of the model it continues, [churn], not [other]");
    }

    private static void refused(String yaml, String where, String what) {
        assertThatThrownBy(() -> TrainingSpec.parse("s.yaml", yaml)).isInstanceOf(SeerException.class)
                .hasMessageContaining(where).hasMessageContaining(what)
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(TrainingErrorCode.INVALID_SPEC);
    }
}
