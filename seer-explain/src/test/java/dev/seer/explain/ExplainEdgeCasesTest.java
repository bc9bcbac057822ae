package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.explain.Counterfactuals.Constraint;
import dev.seer.explain.Counterfactuals.Direction;
import dev.seer.explain.Counterfactuals.Goal;
import dev.seer.models.LinearModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Edge cases a review found (each failed before its fix): counterfactual ranges and budgets, a
 * row already at the goal, outputs the model lacks, what-if to a missing value, infinite
 * background values, KernelSHAP with fewer samples than features.
 */
class ExplainEdgeCasesTest {
    private static final List<String> NAMES = List.of("income", "debt", "age", "accounts");
    private static final double[] W = {1.0, -2.0, 0.5, 0.0};
    private static final Predictor SCORE = rows -> java.util.Arrays.stream(rows).map(r -> {
        double m = -1;
        for (int i = 0; i < W.length; i++) {
            m += W[i] * r[i];
        }
        return new double[] {1 / (1 + Math.exp(-m))};
    }).toArray(double[][]::new);
    private static final Goal APPROVED = new Goal(0, 0.5, true);

    private static double[][] reference() {
        Random random = new Random(1);
        double[][] rows = new double[500][4];
        for (double[] r : rows) {
            for (int j = 0; j < 4; j++) {
                r[j] = random.nextGaussian() * (j == 2 ? 2 : 1);
            }
        }
        return rows;
    }

    /** The server maps a JSON null in "changes" to a null value ("null is a missing value"): WhatIf unboxes it. */
    @Test
    void whatIfChangeToMissingGivenAsNullMakesTheFeatureMissing() {
        LinearModel model = new LinearModel(List.of("income", "debt"), new double[] {1, -2}, -1, LinearModel.Link.LOGIT,
                new double[] {0, 0});
        Explainer explainer = new LinearExplainer(LinearShap.of(model));
        Map<String, Double> changes = new HashMap<>();
        changes.put("debt", null);
        WhatIf w = WhatIf.of(explainer::predict, explainer, new double[] {1, 1}, changes);
        assertThat(w.after()[0]).isCloseTo(explainer.predict(new double[][] {{1, Double.NaN}})[0][0], within(1e-12));
    }

    /** min/max hold for the candidate values but refine() bisects toward the row's value, which may lie outside the range. */
    @Test
    void counterfactualRespectsMinWhenTheRowStartsBelowIt() {
        double[] row = {0, 0.2, 0, 0}; // needs income >= 1.4 alone
        Constraint fixed = new Constraint(true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Direction.ANY);
        Map<String, Constraint> constraints = Map.of(
                "income", new Constraint(false, 2, 10, 0, Direction.ANY),
                "debt", fixed, "age", fixed, "accounts", fixed);
        Counterfactuals.Result result = Counterfactuals.search(SCORE, NAMES, row, APPROVED, constraints, reference(),
                Map.of(), 3, 50_000);
        assertThat(result.found()).isNotEmpty();
        for (Counterfactuals.Counterfactual c : result.found()) {
            assertThat(c.changes().get("income")[1]).as(c.toString()).isBetween(2.0, 10.0);
        }
    }

    /** Same with max: the row is above the allowed range, direction any. */
    @Test
    void counterfactualRespectsMaxWhenTheRowStartsAboveIt() {
        double[] row = {0, 0.2, 0, 0}; // debt must fall to <= -0.5
        Constraint fixed = new Constraint(true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Direction.ANY);
        Map<String, Constraint> constraints = Map.of(
                "debt", new Constraint(false, -5, -1, 0, Direction.ANY),
                "income", fixed, "age", fixed, "accounts", fixed);
        Counterfactuals.Result result = Counterfactuals.search(SCORE, NAMES, row, APPROVED, constraints, reference(),
                Map.of(), 1, 50_000);
        assertThat(result.found()).isNotEmpty();
        assertThat(result.found().get(0).changes().get("debt")[1]).as(result.found().get(0).toString()).isBetween(-5.0, -1.0);
    }

    /** "budget: the most rows to evaluate": refinement and acceptance predict outside the budget check. */
    @Test
    void counterfactualSearchEvaluatesNoMoreRowsThanItsBudget() {
        double[] row = {0, 0.2, 0, 0};
        StringBuilder over = new StringBuilder();
        for (int budget = 20; budget <= 2000; budget += 20) {
            try {
                Counterfactuals.Result result = Counterfactuals.search(SCORE, NAMES, row, APPROVED, Map.of(), reference(),
                        Map.of(), 3, budget);
                if (result.evaluated() > budget) {
                    over.append(" budget ").append(budget).append(": evaluated ").append(result.evaluated());
                }
            } catch (IllegalArgumentException e) {
                over.append(" budget ").append(budget).append(": ").append(e);
            }
        }
        assertThat(over.toString()).isEmpty();
    }

    /** A goal on an output the model does not have is a bad argument, not an ArrayIndexOutOfBoundsException. */
    @Test
    void counterfactualGoalOnAMissingOutputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Counterfactuals.search(SCORE, NAMES, new double[] {0, 0.2, 0, 0}, new Goal(3, 0.5, true),
                Map.of(), reference(), Map.of(), 1, 1000)).isInstanceOf(SeerException.class);
    }

    /** Partial dependence of an output index the model does not have. */
    @Test
    void partialDependenceOfAMissingOutputIsRefused() {
        assertThatThrownBy(() -> PartialDependence.compute(SCORE, reference(), NAMES, 0, 1, 5))
                .isInstanceOf(SeerException.class);
    }

    /** nsamples below the player count: the regression is underdetermined. */
    @Test
    void kernelShapWithFewerSamplesThanFeaturesStillAddsUp() {
        FunctionModel model = FunctionModel.value(6, x -> x[0] + 2 * x[1] * x[2] - x[3] + x[4] * x[5]);
        double[][] background = new double[20][6];
        Random random = new Random(3);
        for (double[] b : background) {
            for (int j = 0; j < 6; j++) {
                b[j] = random.nextGaussian();
            }
        }
        KernelShap shap = KernelShap.of(model, background, 3, 7);
        double[] row = {1, 2, 3, 4, 5, 6};
        assertThatCode(() -> shap.explain(row)).doesNotThrowAnyException();
        Attribution a = shap.explain(row).get(0);
        assertThat(a.sum()).isCloseTo(a.value(), within(1e-9));
        for (double c : a.contributions()) {
            assertThat(c).isFinite();
        }
    }

    /** Background rows with an infinite value are refused naming the row and column (k-means' centres would be NaN). */
    @Test
    void aBackgroundWithAnInfiniteValueIsRefusedNamingTheRow() {
        double[][] data = new double[200][2];
        Random random = new Random(5);
        for (double[] d : data) {
            d[0] = 5 + random.nextDouble();
            d[1] = 5 + random.nextDouble();
        }
        data[17][0] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> BackgroundSummary.kmeans(data, 10, 1)).isInstanceOf(SeerException.class)
                .hasMessageContaining("Background row [17] has an infinite value in column [0]");
    }

    /**
     * The route's largest budget on a large tree model's thresholds (40 features × 1,500): level 1
     * evaluates 121,000 rows, level 2 would build 24 × 121,000 states; only the 79,000 nearest are
     * kept as they are built (before the fix all 2.9 million were, about 1 GB), and exactly the
     * budget is evaluated.
     */
    @Test
    void counterfactualSearchWorkIsBoundedByItsBudget() {
        int features = 40;
        List<String> names = java.util.stream.IntStream.range(0, features).mapToObj(i -> "f" + i).toList();
        Map<Integer, double[]> thresholds = new HashMap<>();
        for (int f = 0; f < features; f++) {
            double[] t = new double[1500];
            for (int i = 0; i < t.length; i++) {
                t[i] = -3 + 6.0 * i / t.length + f * 1e-4;
            }
            thresholds.put(f, t);
        }
        // unreachable goal: the sum of the features must pass 1e9
        Predictor sum = rows -> java.util.Arrays.stream(rows).map(r -> new double[] {java.util.Arrays.stream(r).sum()})
                .toArray(double[][]::new);
        double[][] reference = new double[100][features];
        Random random = new Random(2);
        for (double[] r : reference) {
            for (int j = 0; j < features; j++) {
                r[j] = random.nextGaussian();
            }
        }
        Counterfactuals.Result result = Counterfactuals.search(sum, names, new double[features], new Goal(0, 1e9, true),
                Map.of(), reference, thresholds, 1, 200_000);
        assertThat(result.evaluated()).isEqualTo(200_000);
        assertThat(result.budgetSpent()).isTrue();
        assertThat(result.none()).isTrue();
    }

    /** A row that already reaches the goal: the answer says so and offers no change. */
    @Test
    void aRowAlreadyAtTheGoalGetsNoCounterfactualChange() {
        double[] row = {0, -1, 0, 0}; // margin 1: already approved
        Counterfactuals.Result result = Counterfactuals.search(SCORE, NAMES, row, APPROVED, Map.of(), reference(), Map.of(),
                1, 50_000);
        assertThat(result.found()).as(result.found().toString()).isEmpty();
        assertThat(result.rowReachesGoal()).isTrue();
        assertThat(result.evaluated()).isEqualTo(1);
    }
}
